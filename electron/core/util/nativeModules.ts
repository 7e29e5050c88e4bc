import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

/**
 * Which build of a native addon this process loads.
 *
 * Node and Electron embed different V8s, so an addon written against V8's API is built for one
 * module ABI (`process.versions.modules`: 115 for Node 20, 145 for Electron 41) and refuses to
 * load in the other. `node_modules` stays Node's, for the tests, the CLI and `flotilla serve`;
 * the desktop app loads Electron builds from a folder of their own (see electronNativeDir),
 * made by @electron/rebuild on the first `npm start` and at `npm run dist` (bin/electronNative.js).
 *
 * - better-sqlite3 uses V8's API: under Electron it is loaded by path (its `nativeBinding`).
 * - node-pty (1.1.0) is a Node-API addon: one binary serves every runtime, so it always loads
 *   from node_modules (its loader finds build/Release/pty.node and spawn-helper beside its own
 *   lib/, and looks in app.asar.unpacked in a packaged app). A test checks that it stays so.
 */

/** The addons that need an Electron build, by package, with the file each build produces. */
export const ELECTRON_ADDONS = { 'better-sqlite3': 'better_sqlite3.node' } as const;
export type ElectronAddon = keyof typeof ELECTRON_ADDONS;

/** Written last by a successful rebuild: what the folder's binaries were built from. */
export const NATIVE_MANIFEST_FILE = 'manifest.json';

export interface NativeRuntime {
  /** `process.versions.electron`; undefined under plain Node. */
  electron: string | undefined;
  /** `process.versions.modules`: the ABI a V8-API addon must be built for. */
  abi: string;
  platform: NodeJS.Platform;
  arch: string;
}

export interface NativeManifest {
  electron: string;
  abi: string;
  platform: string;
  arch: string;
  /** Package versions the binaries were built from: their JavaScript must be the same version. */
  addons: Record<string, string>;
}

/** What an addon binary says it is, read from its exported registration symbol. */
export type AddonKind = { kind: 'node-api' } | { kind: 'abi'; abi: string } | { kind: 'not-an-addon' };

/** The Electron build is missing, stale or unreadable: the message says which file and what to do. */
export class NativeAddonError extends Error {
  override readonly name = 'NativeAddonError';
}

export function currentRuntime(): NativeRuntime {
  return { electron: process.versions.electron, abi: process.versions.modules, platform: process.platform, arch: process.arch };
}

/**
 * Where the Electron builds live: `<resources>/native` in a packaged app (copied there by
 * electron-builder's extraResources, outside app.asar so they can be loaded), else
 * `out/native/electron-<platform>-<arch>` in the checkout.
 */
export function electronNativeDir(packageRoot: string, runtime: Pick<NativeRuntime, 'platform' | 'arch'>): string {
  if (isPackaged(packageRoot)) return path.join(path.dirname(packageRoot), 'native');
  return path.join(packageRoot, 'out', 'native', `electron-${runtime.platform}-${runtime.arch}`);
}

function isPackaged(packageRoot: string): boolean {
  return path.basename(packageRoot) === 'app.asar';
}

/**
 * Reads a binary's registration symbol: V8-API addons export `node_register_module_v<ABI>`,
 * Node-API ones `napi_register_module_v1` (the same names in ELF, Mach-O and PE export tables).
 */
export function addonKind(file: string): AddonKind {
  const bytes = fs.readFileSync(file);
  const abiSymbol = /node_register_module_v(\d+)/.exec(bytes.toString('latin1'));
  if (abiSymbol?.[1]) return { kind: 'abi', abi: abiSymbol[1] };
  if (bytes.includes('napi_register_module_v1')) return { kind: 'node-api' };
  return { kind: 'not-an-addon' };
}

/** The installed version of a package (its JavaScript, which a binary must match). */
export function installedVersion(packageName: string, packageRoot: string = PACKAGE_ROOT): string {
  const require = createRequire(path.join(packageRoot, 'package.json'));
  const manifest: unknown = JSON.parse(fs.readFileSync(require.resolve(`${packageName}/package.json`), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
  if (typeof version !== 'string') throw new Error(`${packageName} has no version in its package.json`);
  return version;
}

/** What a build must have been made for: an Electron version, and (at run time) its module ABI. */
export interface NativeTarget {
  electron: string;
  /** Known inside Electron (`process.versions.modules`); the binary itself must declare it. */
  abi?: string;
}

/**
 * Why the Electron builds in `dir` cannot serve `target`, in one sentence, or null when they can.
 * `installed` maps each addon to the version of its JavaScript in node_modules.
 */
export function electronNativeProblem(dir: string, target: NativeTarget, installed: Record<ElectronAddon, string>): string | null {
  const manifest = readManifest(dir);
  if (!manifest) return `no Electron build of the native modules in ${dir}`;
  if (manifest.electron !== target.electron) return `${dir} was built for Electron ${manifest.electron}, not ${target.electron}`;
  for (const [addon, fileName] of Object.entries(ELECTRON_ADDONS) as [ElectronAddon, string][]) {
    const file = path.join(dir, fileName);
    if (!fs.existsSync(file)) return `${addon} for Electron is missing: ${file}`;
    if (manifest.addons[addon] !== installed[addon]) {
      return `${file} was built from ${addon} ${manifest.addons[addon] ?? '(unknown)'}, but ${installed[addon]} is installed`;
    }
    const kind = addonKind(file);
    if (kind.kind === 'not-an-addon') return `${file} is not a native addon (damaged or truncated)`;
    const expectedAbi = target.abi ?? manifest.abi;
    if (kind.kind === 'abi' && kind.abi !== expectedAbi) {
      return `${file} is built for module ABI ${kind.abi}, and Electron ${target.electron} needs ${expectedAbi}`;
    }
  }
  return null;
}

function readManifest(dir: string): NativeManifest | null {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, NATIVE_MANIFEST_FILE), 'utf8'));
    return isManifest(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function isManifest(value: unknown): value is NativeManifest {
  if (typeof value !== 'object' || value === null) return false;
  const { electron, abi, addons } = value as Partial<Record<keyof NativeManifest, unknown>>;
  return typeof electron === 'string' && typeof abi === 'string' && typeof addons === 'object' && addons !== null;
}

export interface SelectNativeOptions {
  /** Default: this process. */
  runtime?: NativeRuntime;
  /** Default: the package this file belongs to (a checkout, or app.asar when packaged). */
  packageRoot?: string;
}

/**
 * The file to pass as better-sqlite3's `nativeBinding`: undefined under Node (the package's own
 * build), the Electron build's path under Electron. Throws NativeAddonError, naming the file and
 * the fix, when that build is missing, stale or damaged: loading a wrong-ABI binary would fail
 * with a dlopen message that names neither.
 */
export function betterSqlite3Binding(opts: SelectNativeOptions = {}): string | undefined {
  const runtime = opts.runtime ?? currentRuntime();
  if (runtime.electron === undefined) return undefined;
  const packageRoot = opts.packageRoot ?? PACKAGE_ROOT;
  const dir = electronNativeDir(packageRoot, runtime);
  const target = { electron: runtime.electron, abi: runtime.abi };
  const problem = electronNativeProblem(dir, target, { 'better-sqlite3': installedVersion('better-sqlite3', packageRoot) });
  if (problem) {
    const fix = isPackaged(packageRoot)
      ? 'reinstall Flotilla'
      : 'run `npm start` in the Flotilla folder, which builds it for this Electron';
    throw new NativeAddonError(`Electron ${runtime.electron} cannot load better-sqlite3: ${problem}; ${fix}`);
  }
  return path.join(dir, ELECTRON_ADDONS['better-sqlite3']);
}
