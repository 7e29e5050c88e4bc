import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `text` to `file` so a reader sees the old contents or the new, never half: a temporary
 * file beside it (same filesystem), then a rename. `mode` applies from creation, so a secret is
 * never readable by others, not even for a moment (0o600 for keys and settings).
 */
export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text, { mode });
  fs.renameSync(temp, file);
}
