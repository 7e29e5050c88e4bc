#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here; otherwise the headless host
// (`flotilla serve`), which prints a URL that opens the same UI in a browser. The first start
// with Electron also builds the native addons for Electron's ABI (bin/electronNative.js).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureElectronNative } from './electronNative.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'out', 'electron', 'main', 'main.js');
const CLI = path.join(ROOT, 'out', 'electron', 'server', 'cli.js');
/** 60 s: enough for the ~100 MB download on a normal line; offline it fails in under a second. */
const DOWNLOAD_TIMEOUT_MS = 60_000;
const args = process.argv.slice(2);

if (!fs.existsSync(MAIN) || !fs.existsSync(CLI)) {
  console.error('flotilla: not built yet; run `npm run build` in the Flotilla folder');
  process.exit(1);
}

const electron = findElectron();
const native = electron.ok ? await ensureElectronNative({ electronVersion: electron.version, onBuildStart: announceBuild(electron.version) }) : null;
if (!electron.ok) {
  await runHeadless(electron.reason);
} else if (!native?.ok) {
  await runHeadless(`its native modules could not be built for it: ${native?.reason}`);
} else {
  runElectron(electron.binary);
}

function announceBuild(version) {
  return (addons) => console.error(`Building ${addons.join(', ')} for Electron ${version} (first start only, about a minute)...`);
}

/** `{ ok, binary, version }` when Electron can run here, else `{ ok: false, reason }` in a few words. */
function findElectron() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  }
  let dir;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  const present = binaryIn(dir);
  if (present) return { ok: true, binary: present, version };
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { ok: false, reason: 'its binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  }
  // Try once to fetch the binary, as `npm install` would have.
  const install = spawnSync(process.execPath, [path.join(dir, 'install.js')], {
    cwd: dir,
    encoding: 'utf8',
    timeout: DOWNLOAD_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const fetched = binaryIn(dir);
  if (fetched) return { ok: true, binary: fetched, version };
  if (install.error?.code === 'ETIMEDOUT') return { ok: false, reason: `downloading its binary took over ${DOWNLOAD_TIMEOUT_MS / 1000} s` };
  return { ok: false, reason: `its binary could not be downloaded: ${firstErrorLine(`${install.stderr ?? ''}\n${install.stdout ?? ''}`)}` };
}

/**
 * The executable `node_modules/electron/path.txt` names, if it is really there; with
 * ELECTRON_OVERRIDE_DIST_PATH, that folder's `electron` when path.txt is absent (as electron's
 * own index.js resolves it).
 */
function binaryIn(dir) {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let name = override ? 'electron' : '';
  try {
    name = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim() || name;
  } catch {
    // No path.txt: the binary was never downloaded (or is overridden).
  }
  const binary = path.join(override || path.join(dir, 'dist'), name);
  return name && fs.existsSync(binary) ? binary : null;
}

function firstErrorLine(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? 'no reason given';
  const short = line.replace(/^\w*Error:\s*/, '');
  return short.length > 120 ? `${short.slice(0, 117)}...` : short;
}

function runElectron(binary) {
  const env = { ...process.env };
  // Inherited from a parent that runs Electron as Node, it would turn the app into a script runner.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [ROOT, ...args], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => child.kill(signal));
  }
  let hasFailedToStart = false;
  child.on('error', (error) => {
    // Spawning failed (not executable, wrong architecture): nothing ran, so serve instead.
    hasFailedToStart = true;
    void runHeadless(`it failed to start: ${error.message}`);
  });
  child.on('exit', (code, signal) => {
    if (!hasFailedToStart) process.exit(code ?? (signal ? 1 : 0));
  });
}

async function runHeadless(reason) {
  console.error(`Electron is not available here (${reason}); starting the headless host instead.`);
  const { main } = await import(pathToFileURL(CLI).href);
  process.exitCode = await main(['serve', ...args]);
}
