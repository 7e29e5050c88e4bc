#!/usr/bin/env node
// `npm run bench -- NAME [args]`: runs bench/NAME.bench.ts (TypeScript via tsx) against the build
// in out/. Each benchmark prints figures, and its last line is `NAME: <figures> ratio=<r>`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (NAME: ${available.join(', ') || 'none yet'})`);
  process.exit(2);
}
if (!existsSync(join(here, '..', 'out', 'electron'))) {
  console.error('bench: build first (`npm run build`)');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.bench.ts`), ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
