import { describe, expect, it } from 'vitest';
import { explainProtectedFiles, withIncludedUncommitted } from './useProtectedFiles.js';

describe('protected files explained', () => {
  it('names the first glob that protects each file, and none when no glob matches any more', () => {
    expect(explainProtectedFiles(['.github/workflows/ci.yml', 'deep/yarn.lock', 'gone.txt'], ['*.lock', '.github/workflows/**', '[bad'])).toEqual([
      { file: '.github/workflows/ci.yml', pattern: '.github/workflows/**' },
      { file: 'deep/yarn.lock', pattern: '*.lock' },
      { file: 'gone.txt', pattern: null },
    ]);
  });

  it('adds the included uncommitted files the globs protect (the merge gate counts them too), once each, sorted', () => {
    const branch = [{ file: '.github/workflows/ci.yml', pattern: '.github/workflows/**' }];
    const patterns = ['.github/workflows/**', '*.lock'];
    expect(withIncludedUncommitted(branch, ['notes.txt', 'yarn.lock', '.github/workflows/ci.yml'], patterns)).toEqual([
      { file: '.github/workflows/ci.yml', pattern: '.github/workflows/**' },
      { file: 'yarn.lock', pattern: '*.lock' },
    ]);
    expect(withIncludedUncommitted(branch, [], patterns)).toBe(branch);
  });
});
