/**
 * The renderer's Content-Security-Policy, as in the `<meta>` of renderer/index.html.
 * Both transports send it as a header too, so a page served without the meta (or a file
 * that is not HTML) is still held to it. No 'unsafe-eval', no remote sources.
 */
export const RENDERER_CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'";

/**
 * Headers on every response of the headless server and of the `flotilla://` protocol.
 * `frame-ancestors` works only as a header (a meta cannot carry it): no one may frame the UI.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': `${RENDERER_CSP}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The first URL carries the token: never leak it (or any path) to another site.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
