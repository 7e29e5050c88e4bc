import { describe, expect, it } from 'vitest';
import { CHUNK_LINES, countNewlines, outputLines, outputWindow, TAIL_CHARS, TAIL_LINES } from './outputWindow.js';

/** Lines `from`..`to - 1` as a command prints them: "line N\n". */
function lines(from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text += `line ${i}\n`;
  return text;
}

const joined = (w: ReturnType<typeof outputWindow>) => w.chunks.map((c) => c.text).join('');

describe('outputWindow', () => {
  it('shows short output whole, in one chunk', () => {
    const w = outputWindow('a\nb\n', 2, { kind: 'tail' });
    expect(w.chunks).toEqual([{ key: 0, text: 'a\nb\n' }]);
    expect(w).toMatchObject({ startLine: 0, keptLines: 2, hiddenLines: 0, droppedLines: 0, startsMidLine: false });
  });

  it('counts an unfinished last line as a line', () => {
    expect(outputWindow('a\nb', 1, { kind: 'tail' }).keptLines).toBe(2);
    expect(outputWindow('a', 0, { kind: 'tail' }).keptLines).toBe(1);
    expect(outputWindow('', 0, { kind: 'tail' })).toMatchObject({ chunks: [], keptLines: 0 });
  });

  it('shows the last lines from a chunk boundary, and hides the rest above', () => {
    const output = lines(0, 1000);
    const w = outputWindow(output, 1000, { kind: 'tail' });
    expect(w.startLine).toBe(800);
    expect(w.hiddenLines).toBe(800);
    expect(w.chunks.map((c) => c.key)).toEqual([800, 850, 900, 950]);
    expect(joined(w)).toBe(lines(800, 1000));
    expect(w.chunks[0]?.text).toBe(lines(800, 850));

    // 20 lines later: still from 800 (never fewer than TAIL_LINES lines), and the chunks so far unchanged.
    const later = outputWindow(lines(0, 1020), 1020, { kind: 'tail' });
    expect(later.startLine).toBe(800);
    expect(later.chunks.slice(0, 4)).toEqual(w.chunks);
    expect(later.chunks[4]).toEqual({ key: 1000, text: lines(1000, 1020) });
    expect(joined(later).split('\n').length - 1).toBeGreaterThanOrEqual(TAIL_LINES);

    // A chunk later, the first chunk goes.
    expect(outputWindow(lines(0, 1050), 1050, { kind: 'tail' }).startLine).toBe(850);
  });

  it('keeps line numbers and chunks when the view limit drops the front of the output', () => {
    // 5,000 lines printed, the kept output starts inside line 4,000.
    const full = lines(0, 5000);
    const kept = full.slice(full.indexOf('line 4000\n') + 3);
    const w = outputWindow(kept, 5000, { kind: 'tail' });
    expect(w.startLine).toBe(4800);
    expect(w.droppedLines).toBe(4000);
    expect(w.keptLines).toBe(1000);
    expect(w.chunks[0]).toEqual({ key: 4800, text: lines(4800, 4850) });

    // Dropping more from the front changes nothing shown.
    const keptLater = full.slice(full.indexOf('line 4100\n'));
    expect(outputWindow(keptLater, 5000, { kind: 'tail' }).chunks).toEqual(w.chunks);
  });

  it('shows everything kept, the first chunk starting where the kept output does', () => {
    const full = lines(0, 300);
    const kept = full.slice(full.indexOf('line 120\n') + 2);
    const w = outputWindow(kept, 300, { kind: 'all' });
    expect(w).toMatchObject({ startLine: 120, hiddenLines: 0, droppedLines: 120, keptLines: 180 });
    expect(joined(w)).toBe(kept);
    expect(w.chunks.map((c) => c.key)).toEqual([100, 150, 200, 250]);
    expect(w.chunks[1]?.text).toBe(lines(150, 200));
  });

  it('keeps showing from a line while the user reads, however much comes after', () => {
    const w = outputWindow(lines(0, 2000), 2000, { kind: 'from', line: 800 });
    expect(w.startLine).toBe(800);
    expect(joined(w)).toBe(lines(800, 2000));
    // A line the view limit dropped meanwhile: from the first kept line.
    const full = lines(0, 2000);
    const kept = full.slice(full.indexOf('line 900\n'));
    expect(outputWindow(kept, 2000, { kind: 'from', line: 800 }).startLine).toBe(900);
    // Past the end: the last line.
    expect(outputWindow(lines(0, 10), 10, { kind: 'from', line: 50 }).startLine).toBe(9);
  });

  it('caps the tail in characters: whole chunks first, then lines, then inside the one long line', () => {
    const long = 'x'.repeat(150);
    const text = Array.from({ length: 400 }, (_, i) => `${i} ${long}\n`).join('');
    const w = outputWindow(text, 400, { kind: 'tail' });
    expect(joined(w).length).toBeLessThanOrEqual(TAIL_CHARS);
    expect(w.startLine % CHUNK_LINES).toBe(0);
    expect(w.startsMidLine).toBe(false);
    expect(joined(w).startsWith(`${w.startLine} `)).toBe(true);

    // Lines so long a chunk alone is too much: from a line inside the last chunk.
    const huge = Array.from({ length: 10 }, (_, i) => `${i} ${'y'.repeat(5000)}\n`).join('');
    const h = outputWindow(huge, 10, { kind: 'tail' });
    expect(h.startsMidLine).toBe(false);
    expect(joined(h).startsWith(`${h.startLine} `)).toBe(true);
    expect(joined(h).length).toBeLessThanOrEqual(TAIL_CHARS);
    expect(h.hiddenLines).toBe(h.startLine);

    // One line longer than the cap (a progress bar without newlines): its end, marked as cut.
    const bar = '#'.repeat(TAIL_CHARS * 3);
    const b = outputWindow(bar, 0, { kind: 'tail' });
    expect(b.startsMidLine).toBe(true);
    expect(joined(b)).toBe(bar.slice(-TAIL_CHARS));
    expect(outputWindow(bar, 0, { kind: 'all' }).chunks).toEqual([{ key: 0, text: bar }]);
  });
});

describe('outputLines', () => {
  it('cuts after each newline and keeps them, so the pieces join back to the text', () => {
    expect(outputLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(outputLines('a\n\nb')).toEqual(['a\n', '\n', 'b']);
    expect(outputLines('')).toEqual([]);
  });
});

describe('countNewlines', () => {
  it('counts newlines', () => {
    expect(countNewlines('')).toBe(0);
    expect(countNewlines('a\n\nb\n')).toBe(3);
  });
});
