import type { Protocol } from 'electron';
import { SECURITY_HEADERS } from '../transport/contentSecurityPolicy.js';
import { readStaticFile } from '../transport/staticFiles.js';

/**
 * The renderer is served from `flotilla://app/…`, never `file://`: a file URL would give
 * the page every file's origin, while this scheme gives it one origin of its own and lets
 * the CSP's 'self' mean exactly the renderer build.
 */
export const APP_SCHEME = 'flotilla';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_URL_PREFIX = `${APP_ORIGIN}/`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** True for our own pages only (`flotilla://app/…`); a prefix check, with the slash. */
export function isAppUrl(url: string): boolean {
  return url.startsWith(APP_URL_PREFIX);
}

/** Must run before `app` is ready: the scheme becomes standard (real origin) and secure. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/** Serves the renderer build, with the same traversal checks and headers as the headless server. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed', { status: 405, headers: SECURITY_HEADERS });
    }
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file.ok) return new Response(file.message, { status: file.status, headers: SECURITY_HEADERS });
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': file.contentType },
    });
  });
}
