import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import { rendererDir } from '../core/util/paths.js';
import { startDesktopApp } from './desktopApp.js';

/**
 * The app's entry: the real Electron module and the real process handed to the composition
 * root (desktopApp.ts), which tests drive with a fake Electron instead.
 */

/** Built next to this file by tsc from preload.cts; sandboxed preloads must be CommonJS. */
const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'preload', 'preload.cjs');

startDesktopApp(electron, {
  env: { ...process.env },
  platform: process.platform,
  // A terminal start has the shell's environment already; a dock or launcher start has no TTY.
  isLaunchedFromTerminal: process.stdout.isTTY === true || process.stdin.isTTY === true,
  preloadPath: PRELOAD,
  rendererDir: rendererDir(),
});
