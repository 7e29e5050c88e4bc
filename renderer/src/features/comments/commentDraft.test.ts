import { describe, expect, it } from 'vitest';
import { nextDraft } from './commentDraft.js';

describe('nextDraft', () => {
  it('starts a one-line draft, stretches it with Shift in either direction, and starts over in another file or without Shift', () => {
    const first = nextDraft(null, 'a.ts', 5, false);
    expect(first).toEqual({ path: 'a.ts', anchor: 5, start: 5, end: 5, at: 5 });
    const down = nextDraft(first, 'a.ts', 9, true);
    expect(down).toEqual({ path: 'a.ts', anchor: 5, start: 5, end: 9, at: 9 });
    // Shift-clicking above the first line: the range still runs from low to high.
    expect(nextDraft(down, 'a.ts', 2, true)).toEqual({ path: 'a.ts', anchor: 5, start: 2, end: 5, at: 2 });
    expect(nextDraft(down, 'b.ts', 3, true)).toEqual({ path: 'b.ts', anchor: 3, start: 3, end: 3, at: 3 });
    expect(nextDraft(down, 'a.ts', 7, false)).toEqual({ path: 'a.ts', anchor: 7, start: 7, end: 7, at: 7 });
    // Shift on the first click of all is just a click.
    expect(nextDraft(null, 'a.ts', 4, true)).toEqual({ path: 'a.ts', anchor: 4, start: 4, end: 4, at: 4 });
  });
});
