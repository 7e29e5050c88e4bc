// `npm run bench -- terminal [MB]`: terminal output throughput, host side.
//   raw      — node-pty in this process reads `cat` of a text file and throws the data away;
//   flotilla — the same file through TerminalService: the pty host process (batching, flow
//              control), IPC, the session (headless mirror, journal hook) and a subscriber that
//              acks each chunk at once.
// Both in MB/s of the file, start to last chunk (the exit comes 200 ms later, see hostedPty.ts); the last line is `terminal: raw=<MB/s> flotilla=<MB/s> ratio=<r>`.
// (The browser leg — a real xterm.js in headless Chromium — is added with the UI.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as nodePty from 'node-pty';
import { HeadlessMirror } from '../electron/core/terminal/headlessMirror.js';
import { TerminalService } from '../electron/core/terminal/terminalService.js';

const sizeMb = Number(process.argv[2] ?? 100);
/** 3 runs per leg, alternating, median reported: one slow run on a shared 2-core box does not decide. */
const RUNS = 3;

const file = path.join(os.tmpdir(), `flotilla-bench-${sizeMb}mb.txt`);
const { bytes, lines } = ensureTextFile(file, sizeMb * 1_000_000);
// The pty turns every \n into \r\n.
const expectedChars = bytes + lines;
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8' };
// The program waits for a line on its stdin, so each leg starts its clock when it says go.
const argv = ['sh', '-c', 'read go; exec cat "$0"', file];

function ensureTextFile(target: string, size: number): { bytes: number; lines: number } {
  const words = ['flotilla', 'worktree', 'sandbox', 'agent', 'terminal', 'batch', 'ack', 'pty', 'xterm', 'mirror'];
  let lineCount = 0;
  if (!fs.existsSync(target) || fs.statSync(target).size < size) {
    const fd = fs.openSync(target, 'w');
    let written = 0;
    let i = 0;
    while (written < size) {
      let chunk = '';
      while (chunk.length < 1 << 20) {
        // Realistic log lines: ~60-90 chars, a counter, some colour now and then.
        const word = words[i % words.length] ?? '';
        chunk += i % 17 === 0 ? `\x1b[32m${i}\x1b[0m ${word} ok the quick brown fox jumps over the lazy dog ${i * 7}\n` : `${i} ${word} the quick brown fox jumps over the lazy dog ${i * 7}\n`;
        i++;
      }
      fs.writeSync(fd, chunk);
      written += chunk.length;
    }
    fs.closeSync(fd);
  }
  const content = fs.readFileSync(target);
  for (const byte of content) if (byte === 0x0a) lineCount++;
  return { bytes: content.length, lines: lineCount };
}

async function rawRun(): Promise<number> {
  return new Promise((resolve, reject) => {
    const pty = nodePty.spawn(argv[0] ?? 'sh', argv.slice(1), { cwd: os.tmpdir(), env, cols: 120, rows: 40 });
    // As the pty host does (see hostedPty.ts openSlave): without it node-pty loses the last few KB.
    const ptsName = (pty as nodePty.IPty & { ptsName?: string }).ptsName;
    const slave = ptsName ? fs.openSync(ptsName, fs.constants.O_RDWR | fs.constants.O_NOCTTY) : null;
    let chars = 0;
    let startedAt = 0;
    let lastDataAt = 0;
    pty.onData((data) => {
      chars += data.length;
      lastDataAt = performance.now();
    });
    pty.onExit(() => {
      if (slave !== null) fs.closeSync(slave);
      // The echo of the typed newline ("\r\n") arrives too.
      if (chars !== expectedChars + 2) return reject(new Error(`raw: ${chars} chars, expected ${expectedChars + 2}`));
      resolve(lastDataAt - startedAt);
    });
    setTimeout(() => {
      startedAt = performance.now();
      pty.write('\r');
    }, 100);
  });
}

async function flotillaRun(service: TerminalService): Promise<number> {
  const opened = await service.open({ cwd: os.tmpdir(), argv, env, cols: 120, rows: 40 });
  if (!opened.ok) throw new Error(opened.message);
  const { sessionId } = opened.session;
  let chars = 0;
  let startedAt = 0;
  let lastDataAt = 0;
  let ack: (chars: number) => void = () => {};
  const done = new Promise<number>((resolve, reject) => {
    void service
      .attach(sessionId, {
        onData: (chunk) => {
          chars += chunk.length;
          lastDataAt = performance.now();
          ack(chunk.length);
        },
        onExit: () => {
          if (chars !== expectedChars + 2) return reject(new Error(`flotilla: ${chars} chars, expected ${expectedChars + 2}`));
          resolve(lastDataAt - startedAt);
        },
      })
      .then((attached) => {
        if (!attached.ok) return reject(new Error(attached.message));
        ack = attached.ack;
        startedAt = performance.now();
        service.write(sessionId, '\r');
      });
  });
  const ms = await done;
  service.close(sessionId);
  return ms;
}

/**
 * For context: how fast a headless xterm (the session's mirror, 10 000 lines of scrollback)
 * parses this file on one core with nothing else running. Every byte of a session goes through
 * one, so this bounds the flotilla leg on a sustained flood.
 */
async function mirrorParseMbPerSecond(): Promise<number> {
  const text = fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n');
  const startedAt = performance.now();
  await new Promise<void>((resolve) => {
    const mirror = new HeadlessMirror({ cols: 120, rows: 40, scrollback: 10_000, onDidParse: () => mirror.parsedChars === text.length && resolve() });
    for (let at = 0; at < text.length; at += 65_536) mirror.write(text.slice(at, at + 65_536));
  });
  return mbPerSecond(performance.now() - startedAt);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const mbPerSecond = (ms: number) => bytes / 1e6 / (ms / 1000);

const service = new TerminalService();
// Warm-up: starts the pty host, so the flotilla leg does not pay for a process start.
const warm = await service.open({ cwd: os.tmpdir(), argv: ['true'], env, cols: 80, rows: 24 });
if (!warm.ok) throw new Error(warm.message);

console.log(`terminal: ${(bytes / 1e6).toFixed(1)} MB, ${lines} lines, ${RUNS} runs per leg (${os.cpus().length} cores)`);
const raw: number[] = [];
const flotilla: number[] = [];
for (let run = 1; run <= RUNS; run++) {
  raw.push(mbPerSecond(await rawRun()));
  flotilla.push(mbPerSecond(await flotillaRun(service)));
  console.log(`  run ${run}: raw ${raw.at(-1)?.toFixed(1)} MB/s, flotilla ${flotilla.at(-1)?.toFixed(1)} MB/s`);
}
service.dispose();
console.log(`  headless mirror alone: ${(await mirrorParseMbPerSecond()).toFixed(1)} MB/s (parse only, one core, ceiling for a sustained flood)`);

const rawMb = median(raw);
const flotillaMb = median(flotilla);
console.log(`terminal: raw=${rawMb.toFixed(1)} flotilla=${flotillaMb.toFixed(1)} ratio=${(flotillaMb / rawMb).toFixed(2)}`);
