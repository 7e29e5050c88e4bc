#!/usr/bin/env node
// The `flotilla` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/electron/server/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('flotilla: not built yet; run `npm run build` in the Flotilla folder');
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
