import { describe, expect, it } from 'vitest';
import type { FileDiff } from '../../../shared/model/diff.js';
import { commentableLines } from './diffLines.js';

const file = (change: FileDiff['change'], patch: string): Pick<FileDiff, 'change' | 'patch'> => ({ change, patch });

describe('commentableLines', () => {
  it('numbers added and context lines as in the new file, and skips removed ones', () => {
    const patch = ['diff --git a/a.txt b/a.txt', '--- a/a.txt', '+++ b/a.txt', '@@ -3,3 +3,3 @@', ' three', '-four', '+FOUR', ' five', '\\ No newline at end of file'].join('\n');
    expect([...commentableLines(file('modified', patch))]).toEqual([
      [3, 'three'],
      [4, 'FOUR'],
      [5, 'five'],
    ]);
  });

  it('uses the old numbers of a deleted file', () => {
    const patch = ['@@ -1,2 +0,0 @@', '-gone', '-too'].join('\n');
    expect([...commentableLines(file('deleted', patch))]).toEqual([
      [1, 'gone'],
      [2, 'too'],
    ]);
  });

  it('has no lines for a binary file', () => {
    expect(commentableLines(file('binary', '')).size).toBe(0);
  });
});
