import { describe, expect, it } from 'vitest';
import { pieceHolding, splitPatchIntoChunks } from './patchChunks.js';
import { parsePatch } from './patchLines.js';

const HEADER = 'diff --git a/f.txt b/f.txt\nindex 1111111..2222222 100644\n--- a/f.txt\n+++ b/f.txt\n';

/** Every content line of the pieces, with the line numbers each piece's headers give it. */
function numbered(pieces: string[]) {
  return pieces.flatMap((piece) => parsePatch(piece).filter((l) => l.kind === 'add' || l.kind === 'del' || l.kind === 'context'));
}

describe('splitPatchIntoChunks', () => {
  it('cuts a 1,000-line added file into pieces that keep the header and the line numbers', () => {
    const body = Array.from({ length: 1000 }, (_, i) => `+line ${i + 1}`).join('\n');
    const patch = `diff --git a/f.txt b/f.txt\nnew file mode 100644\n--- /dev/null\n+++ b/f.txt\n@@ -0,0 +1,1000 @@\n${body}\n`;
    const pieces = splitPatchIntoChunks(patch, 300);
    expect(pieces).toHaveLength(4);
    for (const piece of pieces) expect(piece.startsWith('diff --git a/f.txt b/f.txt\nnew file mode 100644\n--- /dev/null\n+++ b/f.txt\n@@ ')).toBe(true);
    expect(pieces[1]).toContain('@@ -0,0 +301,300 @@\n+line 301\n');
    expect(numbered(pieces).map((l) => l.newLine)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('packs small hunks together and keeps each line on its numbers on both sides', () => {
    const patch = `${HEADER}@@ -1,3 +1,3 @@ fn a\n one\n-two\n+2\n three\n@@ -20,2 +20,3 @@ fn b\n x\n+y\n z\n`;
    const pieces = splitPatchIntoChunks(patch, 300);
    expect(pieces).toEqual([patch]);
    const cut = splitPatchIntoChunks(patch, 2);
    expect(numbered(cut).map((l) => [l.text, l.oldLine, l.newLine])).toEqual(
      numbered([patch]).map((l) => [l.text, l.oldLine, l.newLine]),
    );
    expect(cut[0]).toContain('@@ -1,2 +1,1 @@ fn a\n one\n-two\n');
  });

  it('leaves a patch without hunks as it is', () => {
    const patch = 'diff --git a/x b/x\nold mode 100644\nnew mode 100755\n';
    expect(splitPatchIntoChunks(patch, 10)).toEqual([patch]);
  });
});

describe('pieceHolding', () => {
  it('finds the piece that shows a line on either side, or the last one before a gap', () => {
    const body = Array.from({ length: 1000 }, (_, i) => `+line ${i + 1}`).join('\n');
    const pieces = splitPatchIntoChunks(`${HEADER}@@ -0,0 +1,1000 @@\n${body}\n`, 300);
    expect(pieceHolding(pieces, 'new', 1)).toBe(0);
    expect(pieceHolding(pieces, 'new', 301)).toBe(1);
    expect(pieceHolding(pieces, 'new', 1000)).toBe(3);
    expect(pieceHolding(pieces, 'old', 5)).toBe(-1);
    const gapped = [`${HEADER}@@ -1,2 +1,2 @@\n a\n-b\n+B\n@@ -40,1 +40,1 @@\n-x\n+X\n`];
    expect(pieceHolding(gapped, 'old', 2)).toBe(0);
    expect(pieceHolding(gapped, 'new', 20)).toBe(0);
  });
});
