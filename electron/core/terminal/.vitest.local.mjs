import { defineConfig } from 'vitest/config';
// Temporary (terminal helper): runs tests without the global build while other folders do not compile.
export default defineConfig({ root: '/work/main', test: { include: ['shared/**/*.test.ts', 'electron/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, maxWorkers: 2, pool: 'forks' } });
