import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import { rendererDir } from '../core/util/paths.js';
import { installDesktopIntegration } from './desktop/index.js';
import { startDesktopApp } from './desktopApp.js';
import { checkForUpdates } from './updater.js';

/**
 * The app's entry: the real Electron module and the real process handed to the composition
 * root (desktopApp.ts), which tests drive with a fake Electron instead. The desktop integration
 * (menu, notifications, badge, tray, window state, repos opened from a second launch) installs
 * once the host serves, before the first window opens, so that window is placed where the last
 * one was.
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
  onHostReady: ({ host, home, getWindow }) =>
    installDesktopIntegration(electron, {
      host,
      home,
      getWindow,
      platform: process.platform,
      checkForUpdates: () => void showUpdateCheck(),
    }),
});

/** "Check for Updates…": says which case this build is in (off, up to date, downloading, failed). */
async function showUpdateCheck(): Promise<void> {
  const result = await checkForUpdates();
  await electron.dialog.showMessageBox({ type: result.kind === 'failed' ? 'error' : 'info', message: 'Check for updates', detail: result.message });
}
