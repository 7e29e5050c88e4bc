import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronNativeDir } from '../electron/core/util/nativeModules.js';

/**
 * The desktop packaging, checked without an Electron binary: the configuration against
 * electron-builder's own schema, the fuses, and a real `electron-builder --dir` run on a stand-in
 * Electron (a file with the fuse wire in it), whose output is inspected as a user's install.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const run = promisify(execFile);
const FEED = 'https://updates.flotilla.test/stable';
/** As bin/dist.js passes it to electron-builder: relative to the project folder. */
const CONFIG = './build/electron-builder.js';

interface BuilderConfig {
  appId?: string;
  productName?: string;
  asarUnpack?: string[];
  extraResources?: { from: string; to: string }[];
  afterPack?: string;
  npmRebuild?: boolean;
  publish?: unknown;
  mac?: { target?: string[]; hardenedRuntime?: boolean; entitlements?: string; entitlementsInherit?: string; icon?: string };
  linux?: { target?: string[]; icon?: string };
  deb?: { depends?: string[] };
  win?: { target?: string[]; icon?: string };
}

/** electron-builder's own loader and its schema validation. */
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: object | null): Promise<BuilderConfig>;
  validateConfiguration(config: object, debugLogger: object): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (isEnabled: boolean) => object };
const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses') as typeof import('@electron/fuses');
const asar = require('@electron/asar') as { listPackage(archive: string, options?: object): string[] };

/** The byte @electron/fuses reads for each state. */
const ENABLED = 49;
const DISABLED = 48;
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A stand-in Electron executable: a few bytes, the fuse sentinel, wire version 1 and nine fuses all on. */
function fakeElectronBinary(file: string): void {
  const wire = Buffer.from([1, 9, ...Array<number>(9).fill(ENABLED)]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.alloc(64), Buffer.from(SENTINEL), wire, Buffer.alloc(64)]), { mode: 0o755 });
}

/** A tiny glob (`**`, `*`, `{a,b}`) as a regular expression, for asarUnpack's patterns. */
function globRegExp(glob: string): RegExp {
  const source = glob
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}]*)\}/g, (_m, list: string) => `(${list.split(',').join('|')})`)
    .split('**')
    .map((part) => part.replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

let config: BuilderConfig;
beforeAll(async () => {
  config = await getConfig(ROOT, CONFIG, null);
});

describe('electron-builder configuration', () => {
  it('is one file, build/electron-builder.js, and electron-builder\'s own schema accepts it', async () => {
    expect(config.appId).toBe('dev.flotilla.app');
    expect(config.productName).toBe('Flotilla');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check is real: a misspelt option is refused', async () => {
    const misspelt = { ...config, mac: { ...config.mac, hardenedRuntim: true } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/hardenedRuntim/);
  });

  it('builds AppImage and deb (which depends on bubblewrap), a hardened dmg, and nsis', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.deb?.depends).toContain('bubblewrap');
    expect(config.mac?.target).toContain('dmg');
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.entitlements).toBe('build/entitlements.mac.plist');
    expect(config.mac?.entitlementsInherit).toBe('build/entitlements.mac.plist');
    const entitlements = fs.readFileSync(path.join(ROOT, 'build/entitlements.mac.plist'), 'utf8');
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(entitlements).not.toContain('disable-library-validation');
    expect(config.win?.target).toEqual(['nsis']);
  });

  it('has icons at the sizes each platform wants', () => {
    const png = fs.readFileSync(path.join(ROOT, 'build/icon.png'));
    // PNG IHDR: width and height, big-endian, at bytes 16 and 20.
    expect([png.toString('latin1', 1, 4), png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(['PNG', 1024, 1024]);
    const icns = fs.readFileSync(path.join(ROOT, String(config.mac?.icon)));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.includes('ic10')).toBe(true); // the 1024 px entry
    const ico = fs.readFileSync(path.join(ROOT, String(config.win?.icon)));
    expect([ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([1, 7]);
    expect(fs.readdirSync(path.join(ROOT, String(config.linux?.icon))).sort()).toEqual(
      ['16x16.png', '32x32.png', '48x48.png', '64x64.png', '128x128.png', '256x256.png', '512x512.png', '1024x1024.png'].sort(),
    );
  });

  it('leaves node_modules to Node and ships the Electron build of better-sqlite3 from where the app looks', () => {
    expect(config.npmRebuild).toBe(false);
    const native = config.extraResources?.find((r) => r.to === 'native');
    const expanded = native?.from.replace('${platform}', process.platform).replace('${arch}', process.arch);
    expect(expanded).toBe(path.relative(ROOT, electronNativeDir(ROOT, { platform: process.platform, arch: process.arch })));
    expect(electronNativeDir(path.join('/opt/Flotilla/resources', 'app.asar'), { platform: 'linux', arch: 'x64' })).toBe(path.join('/opt/Flotilla/resources', native?.to ?? ''));
  });

  it('unpacks node-pty, and every asarUnpack pattern matches files of the built tree', () => {
    expect(config.asarUnpack).toContain('node_modules/node-pty/**');
    const files = [...listFiles(path.join(ROOT, 'node_modules/node-pty')).map((f) => `node_modules/node-pty/${f}`), ...listFiles(path.join(ROOT, 'out')).map((f) => `out/${f}`)];
    for (const glob of config.asarUnpack ?? []) {
      expect({ glob, matches: files.filter((f) => globRegExp(glob).test(f)).length > 0 }).toEqual({ glob, matches: true });
    }
  });

  it('has an update feed only when FLOTILLA_UPDATE_URL is set at build time', async () => {
    const publishWith = async (env: NodeJS.ProcessEnv) => {
      const script = `const c = (await import(${JSON.stringify(pathToFileURL(path.join(ROOT, CONFIG)).href)})).default; console.log(JSON.stringify(c.publish));`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, FLOTILLA_UPDATE_URL: '', ...env } });
      return JSON.parse(stdout) as unknown;
    };
    expect(await publishWith({})).toBeNull();
    expect(await publishWith({ FLOTILLA_UPDATE_URL: FEED })).toEqual([{ provider: 'generic', url: FEED }]);
  });
});

describe('Electron fuses', () => {
  it('the afterPack hook turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on cookie encryption, asar integrity and asar-only loading', async () => {
    expect(config.afterPack).toBe('./build/afterPack.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-fuses-'));
    try {
      const binary = path.join(dir, 'flotilla');
      fakeElectronBinary(binary);
      const { default: afterPack } = (await import(pathToFileURL(path.join(ROOT, 'build/afterPack.js')).href)) as { default: (context: object) => Promise<void> };
      await afterPack({ appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Flotilla' }, executableName: 'flotilla' } });
      const wire = await getCurrentFuseWire(binary);
      expect({
        RunAsNode: wire[FuseV1Options.RunAsNode],
        EnableCookieEncryption: wire[FuseV1Options.EnableCookieEncryption],
        EnableNodeOptionsEnvironmentVariable: wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
        EnableNodeCliInspectArguments: wire[FuseV1Options.EnableNodeCliInspectArguments],
        EnableEmbeddedAsarIntegrityValidation: wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
        OnlyLoadAppFromAsar: wire[FuseV1Options.OnlyLoadAppFromAsar],
        GrantFileProtocolExtraPrivileges: wire[FuseV1Options.GrantFileProtocolExtraPrivileges],
      }).toEqual({
        RunAsNode: DISABLED,
        EnableCookieEncryption: ENABLED,
        EnableNodeOptionsEnvironmentVariable: DISABLED,
        EnableNodeCliInspectArguments: DISABLED,
        EnableEmbeddedAsarIntegrityValidation: ENABLED,
        OnlyLoadAppFromAsar: ENABLED,
        GrantFileProtocolExtraPrivileges: DISABLED,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('electron-builder --dir with a stand-in Electron', () => {
  let work = '';
  let appDir = '';
  const NOT_LINUX = 'the stand-in Electron is a Linux executable; a macOS .app or Windows .exe would need its own';
  beforeAll(async () => {
    if (process.platform !== 'linux') return;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-pack-'));
    const electronDist = path.join(work, 'electron');
    fs.mkdirSync(path.join(electronDist, 'resources'), { recursive: true });
    fakeElectronBinary(path.join(electronDist, 'electron'));
    fs.writeFileSync(path.join(electronDist, 'LICENSE'), 'stand-in');
    // What bin/electronNative.js leaves; here Node's build stands in for Electron's.
    const native = path.join(work, 'native');
    fs.mkdirSync(native);
    fs.copyFileSync(path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), path.join(native, 'better_sqlite3.node'));
    fs.writeFileSync(path.join(native, 'manifest.json'), '{}');
    const options = {
      projectDir: ROOT,
      targets: 'LINUX_DIR',
      publish: 'never',
      config: {
        extends: CONFIG,
        electronDist,
        directories: { output: path.join(work, 'dist') },
        // Added to the project's own entry (electron-builder concatenates arrays).
        extraResources: [{ from: native, to: 'native', filter: ['*.node', 'manifest.json'] }],
      },
    };
    const script = `
      const { build, Platform } = await import('electron-builder');
      const options = ${JSON.stringify(options)};
      await build({ ...options, targets: Platform.LINUX.createTarget(['dir']) });`;
    await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, FLOTILLA_UPDATE_URL: FEED }, maxBuffer: 16 * 1024 * 1024 });
    appDir = path.join(work, 'dist', 'linux-unpacked');
  }, 180_000);
  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('packs the host, the renderer and every helper script into app.asar, and no sources or Node builds', ({ skip }) => {
    if (!appDir) skip(NOT_LINUX);
    const files = asar.listPackage(path.join(appDir, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    for (const needed of [
      '/package.json',
      '/out/electron/main/main.js',
      '/out/electron/preload/preload.cjs',
      '/out/renderer/index.html',
      '/out/electron/core/agent/agentWorker.js',
      '/out/electron/core/terminal/ptyHost.js',
      '/out/electron/core/terminal/mirrorWorker.js',
      '/node_modules/better-sqlite3/lib/index.js',
      '/node_modules/electron-updater/package.json',
    ]) {
      expect(files).toContain(needed);
    }
    expect(files.filter((f) => f.startsWith('/out/native') || f.endsWith('.map') || f.startsWith('/node_modules/better-sqlite3/build'))).toEqual([]);
    // Neither build tools nor the renderer's libraries (Vite bundled those into out/renderer).
    const shipped = (name: string) => files.some((f) => f.startsWith(`/node_modules/${name}/`));
    expect(['electron-builder', 'vitest', 'react', 'react-dom', 'zustand', '@xterm/xterm', '@xterm/addon-webgl'].filter(shipped)).toEqual([]);
    expect(['@xterm/headless', '@xterm/addon-serialize', 'openai', 'zod', 'ws'].filter(shipped)).toHaveLength(5);
  });

  it('unpacks node-pty beside app.asar, where the OS can load and run it', ({ skip }) => {
    if (!appDir) skip(NOT_LINUX);
    const unpacked = listFiles(path.join(appDir, 'resources', 'app.asar.unpacked'));
    expect(unpacked).toContain(path.join('node_modules', 'node-pty', 'build', 'Release', 'pty.node'));
    for (const glob of config.asarUnpack ?? []) {
      expect({ glob, matches: unpacked.some((f) => globRegExp(glob).test(f.split(path.sep).join('/'))) }).toEqual({ glob, matches: true });
    }
  });

  it('puts the Electron build of better-sqlite3 in resources/native, the update feed in app-update.yml, and flips the fuses', async ({ skip }) => {
    if (!appDir) skip(NOT_LINUX);
    expect(fs.readdirSync(path.join(appDir, 'resources', 'native')).sort()).toEqual(['better_sqlite3.node', 'manifest.json']);
    expect(fs.readFileSync(path.join(appDir, 'resources', 'app-update.yml'), 'utf8')).toContain(`url: ${FEED}`);
    const wire = await getCurrentFuseWire(path.join(appDir, 'flotilla'));
    expect([wire[FuseV1Options.RunAsNode], wire[FuseV1Options.OnlyLoadAppFromAsar]]).toEqual([DISABLED, ENABLED]);
  });
});
