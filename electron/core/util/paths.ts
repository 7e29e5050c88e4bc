import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (holds package.json), found from this file in `electron/` or `out/electron/`. */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

/**
 * The compiled JavaScript for a host module, e.g. `builtScript('electron/core/agent/agentWorker.js')`.
 * Child processes always run the build in `out/`, also when tests import the TypeScript source.
 */
export function builtScript(relativeJsPath: string): string {
  const file = path.join(PACKAGE_ROOT, 'out', relativeJsPath);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return file;
}

/** The renderer's built files (index.html and assets). */
export function rendererDir(): string {
  return path.join(PACKAGE_ROOT, 'out', 'renderer');
}

/**
 * Where Flotilla keeps its data: `FLOTILLA_HOME`, else the platform's app-data folder
 * (`~/Library/Application Support/Flotilla`, `%APPDATA%\Flotilla`, `$XDG_DATA_HOME/flotilla`).
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOTILLA_HOME) return path.resolve(env.FLOTILLA_HOME);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Flotilla');
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Flotilla');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'flotilla');
}
