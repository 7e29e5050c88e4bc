import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NATIVE_MANIFEST_FILE,
  NativeAddonError,
  addonKind,
  betterSqlite3Binding,
  electronNativeDir,
  installedVersion,
  type NativeManifest,
  type NativeRuntime,
} from './nativeModules.js';
import { PACKAGE_ROOT } from './paths.js';

const require = createRequire(import.meta.url);
const nodeSqliteBinary = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const sqliteVersion = installedVersion('better-sqlite3');

/**
 * An "Electron" whose module ABI is this Node's: the Electron build folder can then hold the
 * Node build of better-sqlite3, and the path the selection returns really loads here.
 */
const electronLikeNode: NativeRuntime = { electron: '41.0.0-test', abi: process.versions.modules, platform: process.platform, arch: process.arch };

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

/** A checkout (or, with `packaged`, an installed app's resources) with better-sqlite3 at `version`. */
function fakeInstall(opts: { packaged?: boolean; version?: string } = {}): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-native-'));
  roots.push(base);
  const packageRoot = opts.packaged ? path.join(base, 'resources', 'app.asar') : base;
  fs.mkdirSync(path.join(packageRoot, 'node_modules', 'better-sqlite3'), { recursive: true });
  fs.writeFileSync(path.join(packageRoot, 'package.json'), '{"name":"flotilla"}');
  fs.writeFileSync(path.join(packageRoot, 'node_modules', 'better-sqlite3', 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: opts.version ?? sqliteVersion }));
  return packageRoot;
}

/** What a successful rebuild leaves: the binary, then the manifest. */
function fakeElectronBuild(packageRoot: string, binary: Buffer | string, manifest: Partial<NativeManifest> = {}): string {
  const dir = electronNativeDir(packageRoot, electronLikeNode);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'better_sqlite3.node');
  if (typeof binary === 'string') fs.copyFileSync(binary, file);
  else fs.writeFileSync(file, binary);
  const full: NativeManifest = { electron: electronLikeNode.electron ?? '', abi: electronLikeNode.abi, platform: process.platform, arch: process.arch, addons: { 'better-sqlite3': sqliteVersion }, ...manifest };
  fs.writeFileSync(path.join(dir, NATIVE_MANIFEST_FILE), JSON.stringify(full));
  return file;
}

function selectionError(run: () => unknown): NativeAddonError {
  try {
    run();
  } catch (error) {
    if (error instanceof NativeAddonError) return error;
    throw error;
  }
  throw new Error('expected a NativeAddonError');
}

describe('which better-sqlite3 binary is loaded', () => {
  it('under Node, the package’s own build in node_modules', () => {
    expect(betterSqlite3Binding()).toBeUndefined();
    expect(addonKind(nodeSqliteBinary)).toEqual({ kind: 'abi', abi: process.versions.modules });
  });

  it('under Electron, the build in out/native/electron-<platform>-<arch>, which really loads by path', () => {
    const packageRoot = fakeInstall();
    const file = fakeElectronBuild(packageRoot, nodeSqliteBinary);
    const binding = betterSqlite3Binding({ runtime: electronLikeNode, packageRoot });
    expect(binding).toBe(file);
    expect(binding).toBe(path.join(packageRoot, 'out', 'native', `electron-${process.platform}-${process.arch}`, 'better_sqlite3.node'));

    const db = new Database(':memory:', { nativeBinding: binding });
    expect(db.prepare('select 6 * 7 as answer').get()).toEqual({ answer: 42 });
    db.close();
  });

  it('in a packaged app, the build beside app.asar in resources/native', () => {
    const packageRoot = fakeInstall({ packaged: true });
    const file = fakeElectronBuild(packageRoot, nodeSqliteBinary);
    expect(file).toBe(path.join(path.dirname(packageRoot), 'native', 'better_sqlite3.node'));
    expect(betterSqlite3Binding({ runtime: electronLikeNode, packageRoot })).toBe(file);
  });

  it('a missing build is a clear error that says how to make it', () => {
    const packageRoot = fakeInstall();
    const error = selectionError(() => betterSqlite3Binding({ runtime: electronLikeNode, packageRoot }));
    expect(error.message).toContain('Electron 41.0.0-test cannot load better-sqlite3: no Electron build of the native modules in');
    expect(error.message).toContain(path.join('out', 'native'));
    expect(error.message).toContain('run `npm start` in the Flotilla folder');
  });

  it('a damaged binary is refused before it is loaded', () => {
    const packageRoot = fakeInstall();
    const file = fakeElectronBuild(packageRoot, Buffer.from('\x7fELF this is not a shared object, and it exports nothing'));
    const error = selectionError(() => betterSqlite3Binding({ runtime: electronLikeNode, packageRoot }));
    expect(error.message).toContain(`${file} is not a native addon (damaged or truncated)`);
  });

  it('a build for another ABI is refused, naming both', () => {
    const packageRoot = fakeInstall();
    fakeElectronBuild(packageRoot, nodeSqliteBinary);
    const otherAbi = String(Number(process.versions.modules) + 30);
    const error = selectionError(() => betterSqlite3Binding({ runtime: { ...electronLikeNode, abi: otherAbi }, packageRoot }));
    expect(error.message).toContain(`is built for module ABI ${process.versions.modules}, and Electron 41.0.0-test needs ${otherAbi}`);
  });

  it('a build for another Electron version is refused', () => {
    const packageRoot = fakeInstall();
    fakeElectronBuild(packageRoot, nodeSqliteBinary, { electron: '40.1.0' });
    const error = selectionError(() => betterSqlite3Binding({ runtime: electronLikeNode, packageRoot }));
    expect(error.message).toContain('was built for Electron 40.1.0, not 41.0.0-test');
  });

  it('a build older than the installed package (npm update since) is refused', () => {
    const packageRoot = fakeInstall({ version: '99.0.0' });
    fakeElectronBuild(packageRoot, nodeSqliteBinary);
    const error = selectionError(() => betterSqlite3Binding({ runtime: electronLikeNode, packageRoot }));
    expect(error.message).toContain(`was built from better-sqlite3 ${sqliteVersion}, but 99.0.0 is installed`);
  });

  it('in a packaged app, the fix offered is a reinstall', () => {
    const packageRoot = fakeInstall({ packaged: true });
    const error = selectionError(() => betterSqlite3Binding({ runtime: electronLikeNode, packageRoot }));
    expect(error.message).toMatch(/reinstall Flotilla$/);
  });
});

describe('node-pty needs no Electron build', () => {
  it('its binaries (the one built here and the ones it ships) are Node-API, valid in Node and Electron alike', () => {
    const nodePty = path.dirname(require.resolve('node-pty/package.json'));
    const binaries = [path.join(nodePty, 'build', 'Release', 'pty.node')];
    const prebuilds = path.join(nodePty, 'prebuilds');
    for (const platform of fs.existsSync(prebuilds) ? fs.readdirSync(prebuilds) : []) {
      const file = path.join(prebuilds, platform, 'pty.node');
      if (fs.existsSync(file)) binaries.push(file);
    }
    expect(binaries.filter((file) => fs.existsSync(file)).length).toBeGreaterThan(0);
    for (const file of binaries.filter((f) => fs.existsSync(f))) {
      expect({ file: path.relative(PACKAGE_ROOT, file), ...addonKind(file) }).toEqual({ file: path.relative(PACKAGE_ROOT, file), kind: 'node-api' });
    }
  });
});
