import { describe, expect, it } from 'vitest';
import { countPatchLines, isInterestingHeader, parsePatch } from './patchLines.js';

const PATCH = [
  'diff --git a/src/a.ts b/src/a.ts',
  'index 111..222 100644',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -10,4 +10,5 @@ function f() {',
  ' keep',
  '-old',
  '+new',
  '++doubled plus is content',
  '--doubled minus is content',
  ' tail',
  '\\ No newline at end of file',
  '',
].join('\n');

describe('parsePatch', () => {
  it('types each line and numbers both sides from the hunk header', () => {
    const lines = parsePatch(PATCH);
    expect(lines.map((l) => l.kind)).toEqual([
      'header',
      'header',
      'header',
      'header',
      'hunk',
      'context',
      'del',
      'add',
      'add',
      'del',
      'context',
      'note',
    ]);
    const numbers = lines.map((l) => [l.oldLine, l.newLine]);
    expect(numbers.slice(5)).toEqual([
      [10, 10],
      [11, null],
      [null, 11],
      [null, 12],
      [12, null],
      [13, 13],
      [null, null],
    ]);
  });

  it('restarts numbering at each hunk and handles an empty patch', () => {
    const lines = parsePatch('@@ -1 +1 @@\n-a\n+b\n@@ -40,2 +40,2 @@\n x\n');
    expect(lines.at(-1)).toMatchObject({ kind: 'context', oldLine: 40, newLine: 40 });
    expect(parsePatch('')).toEqual([]);
  });

  it('hides only the noise headers', () => {
    expect(isInterestingHeader('diff --git a/x b/x')).toBe(false);
    expect(isInterestingHeader('+++ b/x')).toBe(false);
    expect(isInterestingHeader('new file mode 100644')).toBe(true);
    expect(isInterestingHeader('rename from old.ts')).toBe(true);
  });
});

describe('countPatchLines', () => {
  it('counts lines with or without a trailing newline', () => {
    expect(countPatchLines('')).toBe(0);
    expect(countPatchLines('a')).toBe(1);
    expect(countPatchLines('a\nb\n')).toBe(2);
    expect(countPatchLines('a\nb')).toBe(2);
    expect(countPatchLines(PATCH)).toBe(12);
  });
});
