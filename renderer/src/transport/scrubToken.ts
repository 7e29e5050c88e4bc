/**
 * The headless host's start URL carries `?token=…`; the host trades it for a cookie and
 * redirects, but if a page is ever served with the token still in the address, drop it
 * from the bar and from history so it is not shared by copy-paste or screen sharing.
 * Returns the URL to show, or null when there is nothing to remove.
 */
export function urlWithoutToken(href: string): string | null {
  const url = new URL(href);
  if (!url.searchParams.has('token')) return null;
  url.searchParams.delete('token');
  return url.toString();
}

export function scrubTokenFromAddressBar(): void {
  const clean = urlWithoutToken(window.location.href);
  if (clean !== null) window.history.replaceState(window.history.state, '', clean);
}
