import { describe, expect, it } from 'vitest';
import { lineMarkCss, lineRowSelector } from './lineMarks.js';

describe('lineMarkCss', () => {
  it('tints every line of a range in both layouts, flashes with an animation that alternates, and is empty with nothing to mark', () => {
    const css = lineMarkCss('[data-patch="3"]', { side: 'new', start: 4, end: 6 }, null);
    for (const line of [4, 5, 6]) {
      expect(css).toContain(`[data-patch="3"] tr:has(> td.diff-line-num [data-line-new-num="${line}"]) > td`);
      expect(css).toContain(`[data-patch="3"] tr[data-side="new"]:has(> td.diff-line-new-num [data-line-num="${line}"]) > td`);
    }
    expect(css).not.toContain('"7"');
    expect(css).toContain('background-image');
    const first = lineMarkCss('', null, { side: 'old', start: 2, end: 2, flash: 1 });
    const again = lineMarkCss('', null, { side: 'old', start: 2, end: 2, flash: 2 });
    expect(first).toContain('line-flash-b');
    expect(again).toContain('line-flash-a');
    expect(first).toContain('[data-line-old-num="2"]');
    expect(lineMarkCss('', null, null)).toBe('');
  });

  it('caps a huge range at 400 lines', () => {
    const css = lineMarkCss('', { side: 'new', start: 1, end: 10_000 }, null);
    expect(css).toContain('[data-line-new-num="400"]');
    expect(css).not.toContain('[data-line-new-num="401"]');
  });
});

describe('lineRowSelector', () => {
  it('names a line’s row in the unified and the split layout', () => {
    expect(lineRowSelector('', 'new', 12)).toBe(
      'tr:has(> td.diff-line-num [data-line-new-num="12"]), tr[data-side="new"]:has(> td.diff-line-new-num [data-line-num="12"])',
    );
  });
});
