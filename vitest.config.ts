import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    // Real git, real bwrap, real Chromium: generous per-test time, never used to judge speed.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2 cores: whole-flow tests each start a host and agents; keep files from starving each other.
    maxWorkers: 2,
    pool: 'forks',
    globalSetup: ['test/globalSetup.ts'],
  },
});
