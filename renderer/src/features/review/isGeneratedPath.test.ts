import { describe, expect, it } from 'vitest';
import { isGeneratedPath } from './isGeneratedPath.js';

describe('isGeneratedPath', () => {
  it('flags lock files, minified bundles and build output', () => {
    for (const path of ['package-lock.json', 'web/yarn.lock', 'Cargo.lock', 'go.sum', 'static/app.min.js', 'dist/index.js', 'pkg/build/out.o', 'src/__generated__/types.ts']) {
      expect(isGeneratedPath(path), path).toBe(true);
    }
  });

  it('leaves source files alone, including names that merely contain the words', () => {
    for (const path of ['src/login.ts', 'src/lockfile.ts', 'docs/building.md', 'src/distance.ts', 'rebuild/notes.md']) {
      expect(isGeneratedPath(path), path).toBe(false);
    }
  });
});
