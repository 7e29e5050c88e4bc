/**
 * What the review remembers across reloads, in localStorage: the split/unified choice and
 * which files were ticked "viewed". A viewed tick is keyed by task, path and a hash of the
 * file's patch, so a file that changes again comes back unviewed.
 */

export type DiffLayout = 'unified' | 'split';

const LAYOUT_KEY = 'flotilla.review.layout';
const VIEWED_PREFIX = 'flotilla.review.viewed';

export function loadLayout(): DiffLayout {
  return readStorage(LAYOUT_KEY) === 'split' ? 'split' : 'unified';
}

export function saveLayout(layout: DiffLayout): void {
  writeStorage(LAYOUT_KEY, layout);
}

/** FNV-1a, 32 bits, as 8 hex digits: enough to tell one version of a patch from the next. */
export function patchHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

export function viewedKey(taskId: string, path: string, hash: string): string {
  return `${VIEWED_PREFIX}:${taskId}:${hash}:${path}`;
}

export function isViewed(key: string): boolean {
  return readStorage(key) === '1';
}

export function setViewed(key: string, viewed: boolean): void {
  if (viewed) writeStorage(key, '1');
  else removeStorage(key);
}

// Storage can be missing or full (private mode, quota): the review still works, unremembered.
function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Not remembered; nothing else to do.
  }
}

function removeStorage(key: string): void {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // As above.
  }
}
