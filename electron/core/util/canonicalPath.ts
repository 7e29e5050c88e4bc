import fs from 'node:fs';
import path from 'node:path';

/**
 * How the host names a path it compares, sorts or mounts: its real path (symlinks resolved, as
 * the kernel, bwrap and Seatbelt see it) when it exists, else the absolute path as written (a
 * path that does not exist yet has no links to follow).
 */
export function canonicalPath(p: string): string {
  return realpathOrNull(p) ?? path.resolve(p);
}

/** The real path of `p`, or null when it does not exist (or a link on the way dangles). */
export function realpathOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}
