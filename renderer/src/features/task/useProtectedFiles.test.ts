import { describe, expect, it } from 'vitest';
import { explainProtectedFiles } from './useProtectedFiles.js';

describe('protected files explained', () => {
  it('names the first glob that protects each file, and none when no glob matches any more', () => {
    expect(explainProtectedFiles(['.github/workflows/ci.yml', 'deep/yarn.lock', 'gone.txt'], ['*.lock', '.github/workflows/**', '[bad'])).toEqual([
      { file: '.github/workflows/ci.yml', pattern: '.github/workflows/**' },
      { file: 'deep/yarn.lock', pattern: '*.lock' },
      { file: 'gone.txt', pattern: null },
    ]);
  });
});
