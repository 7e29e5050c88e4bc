#!/usr/bin/env node
// `npm run dist`: installers for this platform in dist/ (build/electron-builder.js says which). First
// better-sqlite3 is built for Electron into out/native (bin/electronNative.js), then
// electron-builder packages the app, downloading Electron itself. Where either cannot run, it
// stops with one line on stderr that says why; electron-builder's full log is in
// dist/electron-builder.log.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronNative } from './electronNative.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(path.join(ROOT, 'package.json'));
const LOG = path.join(ROOT, 'dist', 'electron-builder.log');
const CONFIG = path.join('build', 'electron-builder.js');

process.exitCode = await dist().catch((error) => fail(error instanceof Error ? error.message : String(error)));

async function dist() {
  if (!fs.existsSync(path.join(ROOT, 'out', 'electron', 'main', 'main.js'))) return fail('not built yet; run `npm run build` first');
  let electronVersion;
  try {
    electronVersion = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  } catch {
    return fail('the electron package is not installed (run `npm install`)');
  }
  const native = await ensureElectronNative({
    electronVersion,
    onBuildStart: (addons) => console.log(`dist: building ${addons.join(', ')} for Electron ${electronVersion}...`),
  });
  if (!native.ok) return fail(`cannot build installers here: ${native.reason}`);
  console.log(`dist: packaging Flotilla with Electron ${electronVersion} (log: ${path.relative(ROOT, LOG)})...`);
  return electronBuilder();
}

/** Runs electron-builder's CLI, keeping its log and showing only its progress lines. */
function electronBuilder() {
  fs.mkdirSync(path.dirname(LOG), { recursive: true });
  const log = fs.createWriteStream(LOG);
  const cli = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  // --publish never: uploading is a release step; the feed URL (FLOTILLA_UPDATE_URL) is still
  // written into the app so it can find updates.
  const child = spawn(process.execPath, [cli, '--config', CONFIG, '--publish', 'never'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let partialLine = '';
  const onData = (chunk) => {
    log.write(chunk);
    output = (output + chunk).slice(-64 * 1024);
    const lines = (partialLine + chunk.toString()).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      // electron-builder's progress lines start with a bullet; its failures with ⨯.
      if (/^\s*•/.test(line)) console.log(line.replace(/\s+$/, ''));
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve) => {
    child.on('error', (error) => resolve(fail(`could not run electron-builder: ${error.message}`)));
    child.on('close', (code) => {
      log.end();
      if (code === 0) {
        console.log(`dist: installers are in ${path.join(ROOT, 'dist')}`);
        resolve(0);
      } else {
        resolve(fail(`electron-builder failed: ${builderFailure(output)} (full log: ${path.relative(ROOT, LOG)})`));
      }
    });
  });
}

/** electron-builder's failure line (`⨯ message  failedTask=… stackTrace=…`), without the stack. */
function builderFailure(output) {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const line = lines.find((l) => l.startsWith('⨯')) ?? lines.findLast((l) => /error/i.test(l) && !/^at /.test(l)) ?? lines.at(-1) ?? 'no output';
  const message = line.replace(/^⨯\s*/, '').replace(/\s+(failedTask|stackTrace|command|workingDir)=.*$/, '');
  return message.length > 200 ? `${message.slice(0, 197)}...` : message;
}

function fail(reason) {
  console.error(`dist: ${reason}`);
  return 1;
}
