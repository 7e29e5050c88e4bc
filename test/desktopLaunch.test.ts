import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `npm start` and `npm run dist` where Electron's headers cannot be downloaded (here: a closed
 * loopback port stands in for the network, so the result is the same on a machine that has one).
 * Both say why in one line; `npm start` then serves the same UI headless.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const NATIVE_MANIFEST = path.join(ROOT, 'out', 'native', `electron-${process.platform}-${process.arch}`, 'manifest.json');
const run = promisify(execFile);
const ALREADY_BUILT = 'this checkout already has an Electron build of better-sqlite3 in out/native, so nothing is rebuilt';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  // Last in, first out: the host stops before its home folder is removed.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A loopback URL nothing listens on: connecting is refused at once. */
async function closedUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** An Electron "binary" that records being run: it must never be started without its native modules. */
function standInElectron(): { dist: string; marker: string } {
  const dist = tempDir('flotilla-electron-');
  const marker = path.join(dist, 'was-started');
  fs.writeFileSync(path.join(dist, 'electron'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
  return { dist, marker };
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runToEnd(script: string, env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run dist where Electron cannot be downloaded', () => {
  it('fails in one line that says why, with no stack trace', async ({ skip }) => {
    if (fs.existsSync(NATIVE_MANIFEST)) skip(ALREADY_BUILT);
    const headers = await closedUrl();
    const result = await runToEnd(path.join(ROOT, 'bin', 'dist.js'), {
      ...process.env,
      FLOTILLA_ELECTRON_HEADERS_URL: headers,
      ELECTRON_MIRROR: `${headers}/`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `dist: cannot build installers here: Electron ${ELECTRON_VERSION}'s headers could not be downloaded from ${headers} (no network access to it)`,
    ]);
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(path.dirname(path.dirname(NATIVE_MANIFEST))).filter((name) => name.includes('.staging-') || name.includes('.next-'))).toEqual([]);
  });
});

describe('npm start where Electron is present but its native modules cannot be built', () => {
  it('says why in one line and serves the headless host instead, never starting Electron', async ({ skip }) => {
    if (process.platform === 'win32') skip('the stand-in Electron is a shell script');
    if (fs.existsSync(NATIVE_MANIFEST)) skip(ALREADY_BUILT);
    const headers = await closedUrl();
    const electron = standInElectron();
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'start.js'), '--port', '0'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DISPLAY: process.env.DISPLAY ?? ':0',
        ELECTRON_OVERRIDE_DIST_PATH: electron.dist,
        ELECTRON_SKIP_BINARY_DOWNLOAD: '',
        FLOTILLA_ELECTRON_HEADERS_URL: headers,
        FLOTILLA_HOME: tempDir('flotilla-home-'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // SIGTERM, as Ctrl+C would: the host shuts down its pty host and workers before exiting.
    cleanups.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Flotilla listening on')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before serving:\n${stdout}\n${stderr}`)));
    });
    expect(stderr.trim().split('\n')).toEqual([
      `Building better-sqlite3 for Electron ${ELECTRON_VERSION} (first start only, about a minute)...`,
      `Electron is not available here (its native modules could not be built for it: Electron ${ELECTRON_VERSION}'s headers could not be downloaded from ${headers} (no network access to it)); starting the headless host instead.`,
    ]);
    expect(fs.existsSync(electron.marker)).toBe(false);
  });
});

describe('the Electron build of better-sqlite3 (bin/electronNative.js)', () => {
  /** A checkout whose out/native holds a build for this Electron (Node's binary standing in). */
  function checkoutWithBuild(binary: Buffer | null): string {
    const root = tempDir('flotilla-checkout-');
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
    fs.mkdirSync(path.join(root, 'out'));
    fs.symlinkSync(path.join(ROOT, 'out', 'electron'), path.join(root, 'out', 'electron'));
    const dir = path.join(root, 'out', 'native', `electron-${process.platform}-${process.arch}`);
    fs.mkdirSync(dir, { recursive: true });
    const nodeBuild = path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    fs.writeFileSync(path.join(dir, 'better_sqlite3.node'), binary ?? fs.readFileSync(nodeBuild));
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }).version;
    const manifest = { electron: ELECTRON_VERSION, abi: process.versions.modules, platform: process.platform, arch: process.arch, addons: { 'better-sqlite3': version } };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    return root;
  }

  async function ensure(root: string, headersUrl: string): Promise<unknown> {
    const script = `
      const { ensureElectronNative } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'bin', 'electronNative.js')).href)});
      const result = await ensureElectronNative({ electronVersion: ${JSON.stringify(ELECTRON_VERSION)}, root: ${JSON.stringify(root)}, headersUrl: ${JSON.stringify(headersUrl)} });
      console.log(JSON.stringify(result));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    return JSON.parse(stdout) as unknown;
  }

  it('is reused as long as it matches Electron and the installed package (no download, no compiler)', async () => {
    const root = checkoutWithBuild(null);
    expect(await ensure(root, await closedUrl())).toEqual({ ok: true, dir: path.join(root, 'out', 'native', `electron-${process.platform}-${process.arch}`), built: false });
  });

  it('a damaged build is rebuilt, and where that fails the reason is one line', async () => {
    const root = checkoutWithBuild(Buffer.from('not a shared object'));
    const headers = await closedUrl();
    expect(await ensure(root, headers)).toEqual({
      ok: false,
      reason: `Electron ${ELECTRON_VERSION}'s headers could not be downloaded from ${headers} (no network access to it)`,
    });
    expect(fs.readdirSync(path.join(root, 'out', 'native')).sort()).toEqual([`electron-${process.platform}-${process.arch}`]);
  });
});
