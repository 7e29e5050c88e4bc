import type { FileDiff } from '../../../shared/model/diff.js';

/**
 * The lines of one file a comment may point at: those its patch shows (added and context lines)
 * by their number in the file as the task left it; for a deleted file, the removed lines by
 * their old number. Line text is as the diff has it, without the leading +, - or space.
 */
export function commentableLines(file: Pick<FileDiff, 'change' | 'patch'>): Map<number, string> {
  const lines = new Map<number, string>();
  const isDeleted = file.change === 'deleted';
  let oldLine = 0;
  let newLine = 0;
  let isInHunk = false;
  for (const line of file.patch.split('\n')) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      isInHunk = true;
      continue;
    }
    if (!isInHunk) continue;
    const mark = line.charAt(0);
    const text = line.slice(1);
    if (mark === '+') {
      if (!isDeleted) lines.set(newLine, text);
      newLine += 1;
    } else if (mark === '-') {
      if (isDeleted) lines.set(oldLine, text);
      oldLine += 1;
    } else if (mark === ' ') {
      lines.set(newLine, text);
      oldLine += 1;
      newLine += 1;
    }
    // '\' (no newline at end of file) and anything else: not a line of the file.
  }
  return lines;
}
