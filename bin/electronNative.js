// The Electron build of the native addons that need one (better-sqlite3; see
// electron/core/util/nativeModules.ts), for `npm start` and `npm run dist`. @electron/rebuild
// compiles a staging copy of each package, so node_modules keeps Node's build for the tests,
// the CLI and `flotilla serve`; the binary and a manifest then go to
// out/native/electron-<platform>-<arch>/, where the app loads them by path.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const DEFAULT_HEADERS_URL = 'https://www.electronjs.org/headers';

/**
 * Makes sure out/native holds builds for `electronVersion`, rebuilding when they are missing or
 * stale (another Electron, another package version, a damaged binary). Electron's headers come
 * from `headersUrl` (FLOTILLA_ELECTRON_HEADERS_URL, for a mirror). Resolves
 * `{ ok: true, dir, built }` or `{ ok: false, reason }` (one line, no stack). `onBuildStart` is
 * called once, just before a rebuild begins (it can take a minute or two).
 */
export async function ensureElectronNative(opts) {
  try {
    return await ensure(opts);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

async function ensure({
  electronVersion,
  arch = process.arch,
  root = ROOT,
  headersUrl = process.env.FLOTILLA_ELECTRON_HEADERS_URL || DEFAULT_HEADERS_URL,
  onBuildStart = () => {},
}) {
  const native = await import(pathToFileURL(path.join(root, 'out', 'electron', 'core', 'util', 'nativeModules.js')).href);
  const dir = native.electronNativeDir(root, { platform: process.platform, arch });
  const installed = Object.fromEntries(Object.keys(native.ELECTRON_ADDONS).map((addon) => [addon, native.installedVersion(addon, root)]));
  if (native.electronNativeProblem(dir, { electron: electronVersion }, installed) === null) {
    return { ok: true, dir, built: false };
  }
  try {
    createRequire(path.join(root, 'package.json')).resolve('@electron/rebuild');
  } catch {
    return { ok: false, reason: '@electron/rebuild is not installed (it is a devDependency: run `npm install` without --omit=dev)' };
  }
  onBuildStart(Object.keys(installed));
  const staging = `${dir}.staging-${process.pid}`;
  try {
    stageAddons(root, staging, installed);
    const rebuilt = await runRebuild(staging, electronVersion, arch, headersUrl);
    if (!rebuilt.ok) return rebuilt;
    const manifest = { electron: electronVersion, abi: '', platform: process.platform, arch, addons: installed };
    const next = `${dir}.next-${process.pid}`;
    fs.mkdirSync(next, { recursive: true });
    for (const [addon, fileName] of Object.entries(native.ELECTRON_ADDONS)) {
      const built = path.join(staging, 'node_modules', addon, 'build', 'Release', fileName);
      if (!fs.existsSync(built)) return { ok: false, reason: `@electron/rebuild finished but left no ${fileName} for ${addon}` };
      const kind = native.addonKind(built);
      if (kind.kind !== 'abi') return { ok: false, reason: `the rebuilt ${fileName} is not a V8-API addon (${kind.kind})` };
      manifest.abi = kind.abi;
      fs.copyFileSync(built, path.join(next, fileName));
    }
    // The manifest last: a folder without one is never used (see electronNativeProblem).
    fs.writeFileSync(path.join(next, native.NATIVE_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(next, dir);
    return { ok: true, dir, built: true };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(`${dir}.next-${process.pid}`, { recursive: true, force: true });
  }
}

/** A package.json naming the addons and a copy of each package without its (Node) build. */
function stageAddons(root, staging, installed) {
  fs.rmSync(staging, { recursive: true, force: true });
  const require = createRequire(path.join(root, 'package.json'));
  for (const addon of Object.keys(installed)) {
    const source = path.dirname(require.resolve(`${addon}/package.json`));
    fs.cpSync(source, path.join(staging, 'node_modules', addon), {
      recursive: true,
      filter: (file) => path.relative(source, file) !== 'build',
    });
  }
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'flotilla-native', private: true, dependencies: installed }));
}

/**
 * Runs @electron/rebuild in a child (this file with --rebuild), whose output is kept: it prints
 * node-gyp's whole log on failure, and the caller wants one line.
 */
function runRebuild(staging, electronVersion, arch, headersUrl) {
  const env = { ...process.env };
  // npm passes its own build settings to scripts; here they would point node-gyp at Node's
  // headers (this machine's npm sets nodedir) and the "Electron" build would get Node's ABI.
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|disturl|target|runtime|arch|build_from_source)$/i.test(key)) delete env[key];
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SELF, '--rebuild', staging, electronVersion, arch, headersUrl], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-64 * 1024);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => resolve({ ok: false, reason: `could not run @electron/rebuild: ${error.message}` }));
    child.on('close', (code) => {
      resolve(code === 0 ? { ok: true } : { ok: false, reason: rebuildFailure(output, electronVersion, headersUrl) });
    });
  });
}

/** node-gyp's log, as one line that says what to do. */
export function rebuildFailure(output, electronVersion, headersUrl) {
  if (/network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up/i.test(output)) {
    return `Electron ${electronVersion}'s headers could not be downloaded from ${headersUrl} (no network access to it)`;
  }
  if (/find Python|python.*not found/i.test(output)) return 'node-gyp needs Python 3 to build better-sqlite3 for Electron';
  if (/Visual Studio/i.test(output)) return 'node-gyp needs Visual Studio Build Tools (C++) to build better-sqlite3 for Electron';
  if (/(make|g\+\+|c\+\+|cc|clang\+\+): (command )?not found|not found: (make|g\+\+)/i.test(output)) {
    return 'a C++ toolchain (make and g++, or Xcode command line tools) is needed to build better-sqlite3 for Electron';
  }
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const line = lines.findLast((l) => /gyp ERR!|error/i.test(l) && !/^\s*at /.test(l)) ?? lines.at(-1) ?? 'no output';
  const short = line.replace(/^gyp ERR!\s*/, '');
  return `building better-sqlite3 for Electron ${electronVersion} failed: ${short.length > 160 ? `${short.slice(0, 157)}...` : short}`;
}

/** The child: `node bin/electronNative.js --rebuild STAGING ELECTRON_VERSION ARCH HEADERS_URL`. */
async function rebuildChild([staging, electronVersion, arch, headerURL]) {
  const { rebuild } = createRequire(path.join(ROOT, 'package.json'))('@electron/rebuild');
  await rebuild({ buildPath: staging, electronVersion, arch, headerURL, force: true, mode: 'sequential' });
}

if (process.argv[1] === SELF && process.argv[2] === '--rebuild') {
  rebuildChild(process.argv.slice(3)).then(
    () => process.exit(0),
    (error) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
