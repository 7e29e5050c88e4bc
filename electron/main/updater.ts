import fs from 'node:fs';
import path from 'node:path';
import type { AppUpdater } from 'electron-updater';

/**
 * Auto-update with electron-updater, off unless this build was given a feed: electron-builder
 * writes `resources/app-update.yml` only when `npm run dist` ran with FLOTILLA_UPDATE_URL set
 * (build/electron-builder.js). A "Check for updates" menu item calls checkForUpdates() and
 * shows its message, which says which case this is.
 */

/** What a check found, with a sentence for the user. */
export type UpdateCheck =
  | { kind: 'off'; message: string }
  | { kind: 'up-to-date'; message: string; version: string }
  | { kind: 'downloading'; message: string; version: string }
  | { kind: 'failed'; message: string };

/** What the check needs from Electron, injected so it is testable without a binary. */
export interface UpdaterEnvironment {
  isPackaged: boolean;
  appVersion: string;
  /** `process.resourcesPath` of the packaged app. */
  resourcesPath: string;
  /** electron-updater's updater; loaded only once a feed is known (it requires `electron`). */
  loadUpdater: () => Promise<Pick<AppUpdater, 'checkForUpdates' | 'autoDownload' | 'autoInstallOnAppQuit'>>;
}

/** The update file electron-builder writes into the app's resources when publish is configured. */
export const UPDATE_CONFIG_FILE = 'app-update.yml';

/** The feed URL of this build, or null when it has none (updates off). */
export function updateFeedUrl(resourcesPath: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(resourcesPath, UPDATE_CONFIG_FILE), 'utf8');
  } catch {
    return null;
  }
  // electron-builder writes `url: https://…` for the generic provider, the one we configure.
  const url = /^url:\s*['"]?([^'"\s]+)['"]?\s*$/m.exec(text)?.[1];
  return url ?? null;
}

export async function checkForUpdates(env?: UpdaterEnvironment): Promise<UpdateCheck> {
  const { isPackaged, appVersion, resourcesPath, loadUpdater } = env ?? (await electronEnvironment());
  if (!isPackaged) {
    return { kind: 'off', message: 'Updates are off in a development build: pull the repository and run `npm start` again.' };
  }
  const feed = updateFeedUrl(resourcesPath);
  if (!feed) {
    return { kind: 'off', message: 'Updates are off: this build has no update feed (it was built without FLOTILLA_UPDATE_URL).' };
  }
  try {
    const updater = await loadUpdater();
    // Download in the background and install when the user quits: never restart under them.
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    const result = await updater.checkForUpdates();
    const version = result?.updateInfo.version;
    if (!result || !version) return { kind: 'failed', message: `Could not check ${feed} for updates: no answer` };
    if (!result.isUpdateAvailable) return { kind: 'up-to-date', version: appVersion, message: `Flotilla ${appVersion} is up to date (checked ${feed}).` };
    return { kind: 'downloading', version, message: `Flotilla ${version} is downloading from ${feed}; it installs when you quit.` };
  } catch (error) {
    const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { kind: 'failed', message: `Could not check ${feed} for updates: ${firstLine}` };
  }
}

async function electronEnvironment(): Promise<UpdaterEnvironment> {
  const { app } = await import('electron');
  return {
    isPackaged: app.isPackaged,
    appVersion: app.getVersion(),
    resourcesPath: process.resourcesPath,
    // electron-updater is CommonJS; its autoUpdater is a lazy getter on the module.
    loadUpdater: async () => (await import('electron-updater')).default.autoUpdater,
  };
}
