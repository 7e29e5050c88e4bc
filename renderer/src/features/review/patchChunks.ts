import { parsePatch, type PatchLine } from './patchLines.js';

/**
 * One file's patch cut into pieces of at most `maxLines` hunk lines, each a valid patch of
 * its own (the file header, then hunks with recomputed `@@ -a,b +c,d @@` headers), so the
 * diff library draws a big file piece by piece as it scrolls into view instead of all at
 * once. Hunks are cut where they are longer than `maxLines`; small hunks are packed
 * together. A patch without hunks (mode change, empty file) is one piece.
 */
export function splitPatchIntoChunks(patch: string, maxLines: number): string[] {
  const lines = parsePatch(patch);
  const header = lines.filter((l) => l.kind === 'header').map((l) => l.text);
  const pieces: string[][] = [];
  let current: string[] = [];
  let currentCount = 0;
  const flush = () => {
    if (current.length > 0) pieces.push(current);
    current = [];
    currentCount = 0;
  };
  for (const hunk of hunksOf(lines)) {
    let oldNext = hunk.oldStart;
    let newNext = hunk.newStart;
    for (let start = 0; start < hunk.body.length; start += maxLines) {
      const slice = hunk.body.slice(start, start + maxLines);
      if (currentCount + slice.length > maxLines) flush();
      const oldCount = slice.filter((l) => l.kind === 'del' || l.kind === 'context').length;
      const newCount = slice.filter((l) => l.kind === 'add' || l.kind === 'context').length;
      // With no line on a side, git names the line before it (0 at the top of the file).
      const oldStart = oldCount > 0 ? oldNext : Math.max(0, oldNext - 1);
      const newStart = newCount > 0 ? newNext : Math.max(0, newNext - 1);
      current.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@${hunk.suffix}`, ...slice.map((l) => l.text));
      currentCount += slice.length;
      oldNext += oldCount;
      newNext += newCount;
    }
  }
  flush();
  if (pieces.length === 0) return [patch];
  return pieces.map((piece) => `${[...header, ...piece].join('\n')}\n`);
}

interface Hunk {
  /** First line of the hunk on each side, from its header (for a side with no lines, git's "line before"). */
  oldStart: number;
  newStart: number;
  /** What follows the second `@@` (git's function context), kept on every piece. */
  suffix: string;
  body: PatchLine[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

function hunksOf(lines: PatchLine[]): Hunk[] {
  const hunks: Hunk[] = [];
  for (const line of lines) {
    const header = line.kind === 'hunk' ? HUNK_HEADER.exec(line.text) : null;
    if (header) {
      // A count of 0 means the start names the line before: the next line is start + 1.
      const oldStart = Number(header[1]) + (header[2] === '0' ? 1 : 0);
      const newStart = Number(header[3]) + (header[4] === '0' ? 1 : 0);
      hunks.push({ oldStart, newStart, suffix: header[5] ?? '', body: [] });
    } else if (line.kind !== 'header' && line.kind !== 'hunk') {
      hunks.at(-1)?.body.push(line);
    }
  }
  return hunks.filter((h) => h.body.length > 0);
}

const PIECE_HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm;

/**
 * The index of the piece that shows `line` of `side`, or else of the last piece that starts
 * before it (the line is in a gap between hunks); -1 when there are no hunks.
 */
export function pieceHolding(pieces: readonly string[], side: 'new' | 'old', line: number): number {
  let before = -1;
  for (const [index, piece] of pieces.entries()) {
    for (const match of piece.matchAll(PIECE_HUNK)) {
      const start = Number(side === 'old' ? match[1] : match[3]);
      const count = Number((side === 'old' ? match[2] : match[4]) ?? '1');
      // A side with no lines in this hunk (an added or deleted file) holds nothing of it.
      if (count === 0) continue;
      if (line >= start && line < start + count) return index;
      if (start <= line) before = index;
    }
  }
  return before;
}
