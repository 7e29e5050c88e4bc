import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkForUpdates, UPDATE_CONFIG_FILE, type UpdaterEnvironment } from './updater.js';

const FEED = 'https://updates.flotilla.test/stable';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A packaged app's resources folder, with the app-update.yml electron-builder writes when given a feed. */
function resources(feed: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-resources-'));
  dirs.push(dir);
  if (feed) fs.writeFileSync(path.join(dir, UPDATE_CONFIG_FILE), `provider: generic\nurl: ${feed}\nupdaterCacheDirName: flotilla-updater\n`);
  return dir;
}

function environment(opts: Partial<UpdaterEnvironment> & { latest?: string; failure?: Error }): UpdaterEnvironment & { loads: number } {
  const env = {
    isPackaged: true,
    appVersion: '0.1.0',
    resourcesPath: resources(FEED),
    loads: 0,
    loadUpdater: async () => {
      env.loads++;
      return {
        autoDownload: false,
        autoInstallOnAppQuit: false,
        checkForUpdates: async () => {
          if (opts.failure) throw opts.failure;
          const version = opts.latest ?? '0.1.0';
          return { isUpdateAvailable: version !== '0.1.0', updateInfo: { version, files: [], path: '', sha512: '', releaseDate: '' }, versionInfo: { version, files: [], path: '', sha512: '', releaseDate: '' } };
        },
      };
    },
    ...opts,
  };
  return env;
}

describe('Check for updates', () => {
  it('is off in a development run, and says so without loading electron-updater', async () => {
    const env = environment({ isPackaged: false });
    expect(await checkForUpdates(env)).toEqual({ kind: 'off', message: expect.stringContaining('Updates are off in a development build') });
    expect(env.loads).toBe(0);
  });

  it('is off in a build made without FLOTILLA_UPDATE_URL', async () => {
    const env = environment({ resourcesPath: resources(null) });
    const result = await checkForUpdates(env);
    expect(result).toEqual({ kind: 'off', message: 'Updates are off: this build has no update feed (it was built without FLOTILLA_UPDATE_URL).' });
    expect(env.loads).toBe(0);
  });

  it('with a feed, says the app is up to date and where it looked', async () => {
    expect(await checkForUpdates(environment({}))).toEqual({ kind: 'up-to-date', version: '0.1.0', message: `Flotilla 0.1.0 is up to date (checked ${FEED}).` });
  });

  it('with a feed, names the new version it downloads and installs on quit', async () => {
    expect(await checkForUpdates(environment({ latest: '0.2.0' }))).toEqual({
      kind: 'downloading',
      version: '0.2.0',
      message: `Flotilla 0.2.0 is downloading from ${FEED}; it installs when you quit.`,
    });
  });

  it('reports an unreachable feed in one line', async () => {
    const failure = new Error('net::ERR_NAME_NOT_RESOLVED\n    at SimpleURLLoaderWrapper.<anonymous> (node:electron/js2c/browser_init:2:1)');
    expect(await checkForUpdates(environment({ failure }))).toEqual({ kind: 'failed', message: `Could not check ${FEED} for updates: net::ERR_NAME_NOT_RESOLVED` });
  });
});
