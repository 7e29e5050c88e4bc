/**
 * Links in terminal output are written by programs, not by the user: only http(s) may open,
 * and only after the user has seen the whole URL. Returns whether it was opened.
 */
export function openWebLink(
  uri: string,
  confirm: (question: string) => boolean,
  open: (url: string) => void,
): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (!confirm(`Open this link from the terminal in your browser?\n\n${url.href}`)) return false;
  open(url.href);
  return true;
}
