// `npm run bench -- terminal [MB]`: terminal output throughput, host side.
//   raw      — node-pty in this process reads `cat` of a text file and throws the data away;
//   flotilla — the same file through TerminalService: the pty host process (batching, flow
//              control), IPC, the session (headless mirror, journal hook) and a subscriber that
//              acks each chunk at once.
//   browser  — the whole way: `cat` of the same file in a task's sandboxed terminal of a real
//              `flotilla serve`, shown by the real UI's xterm.js in headless Chromium (binary
//              WebSocket frames, acks from xterm's write callbacks), timed in the page from the
//              keystroke to the write that parsed a marker echoed after the file.
//   xterm_parse_only — for context: the page's xterm.js parsing text written in the page (no host,
//              no drawing); xterm_ceiling = that / raw is the best ratio any host could reach here.
// All in MB/s of the file, start to last chunk (the exit is reported after it, see hostedPty.ts); the
// last line is `terminal: raw=… flotilla=… browser=… xterm_parse_only=… host_ratio=… xterm_ceiling=… ratio=<browser/raw>`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as nodePty from 'node-pty';
import { HeadlessMirror } from '../electron/core/terminal/headlessMirror.js';
import { TerminalService } from '../electron/core/terminal/terminalService.js';
import { CleanupStack } from './lib/cleanupStack.js';
import { openBenchPage, showTerminal, startTerminalHost } from './lib/terminalPage.js';

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

/** The browser leg: `RUNS` times `cat` in one task terminal of a real host, shown by the real UI. */
async function browserRuns(): Promise<{ results: number[]; parseOnly: number }> {
  const cleanup = new CleanupStack();
  try {
    const { host, tasks } = await startTerminalHost(cleanup, 1);
    const task = tasks[0];
    if (!task) throw new Error('no task');
    // Into the worktree: the sandboxed shell sees the worktree, not the rest of /tmp.
    const inWorktree = path.join(task.worktreePath, 'bench-output.txt');
    try {
      fs.linkSync(file, inWorktree);
    } catch {
      fs.copyFileSync(file, inWorktree);
    }
    await host.api.invokeOk('terminal.open', { taskId: task.id, kind: 'sandboxed', cols: 120, rows: 40 });
    const { page } = await openBenchPage(cleanup, host);
    await showTerminal(page, task);
    const results: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const ms = await page.evaluate(
        ({ command, marker }) =>
          new Promise<number>((resolve) => {
            const term = [...(window.__flotillaTerminals?.values() ?? [])].at(-1);
            if (!term) throw new Error('no terminal on the page');
            const startedAt = performance.now();
            const watch = term.onWriteParsed(() => {
              const buffer = term.buffer.active;
              const y = buffer.baseY + buffer.cursorY;
              for (let line = y; line >= Math.max(0, y - 2); line--) {
                if (buffer.getLine(line)?.translateToString(true) !== marker) continue;
                watch.dispose();
                resolve(performance.now() - startedAt);
                return;
              }
            });
            // As if typed: xterm sends it as an input frame.
            term.input(`${command}\r`, true);
          }),
        // The marker is computed by the shell, so the typed command line never matches it.
        { command: `cat bench-output.txt; echo END-$((${run}+1000))`, marker: `END-${run + 1000}` },
      );
      results.push(mbPerSecond(ms));
      console.log(`  browser run ${run}: ${results.at(-1)?.toFixed(1)} MB/s (${(ms / 1000).toFixed(2)} s)`);
    }
    // For context: the same xterm parsing (and drawing) text written in the page itself, no
    // host; then a second xterm of the same build and options that is never opened (parsing only).
    const inPage = (mode: 'drawn' | 'parse-only') =>
      page.evaluate(
        async ({ size, mode }) => {
          const shown = [...(window.__flotillaTerminals?.values() ?? [])].at(-1);
          if (!shown) throw new Error('no terminal on the page');
          const { cols, rows } = shown;
          const TerminalClass = shown.constructor as new (options: { cols: number; rows: number; scrollback: number }) => NonNullable<typeof shown>;
          const term = mode === 'drawn' ? shown : new TerminalClass({ cols, rows, scrollback: shown.options.scrollback ?? 10_000 });
          let chunk = '';
          for (let i = 0; chunk.length < 65_536; i++) chunk += `${i} terminal the quick brown fox jumps over the lazy dog ${i * 7}\r\n`;
          const count = Math.ceil(size / chunk.length);
          const startedAt = performance.now();
          // In rounds of 16 chunks (1 MB), each waiting for the last to be parsed: xterm discards
          // writes beyond 50 MB pending, so a 100 MB file needs flow control here too.
          for (let i = 0; i < count; i += 16) {
            await new Promise<void>((resolve) => {
              const end = Math.min(count, i + 16);
              for (let j = i; j < end; j++) term.write(chunk, j === end - 1 ? resolve : undefined);
            });
          }
          const mbPerS = (count * chunk.length) / 1e6 / ((performance.now() - startedAt) / 1000);
          if (term !== shown) term.dispose();
          return mbPerS;
        },
        { size: bytes, mode },
      );
    const drawn = await inPage('drawn');
    const parseOnly = await inPage('parse-only');
    console.log(`  xterm.js alone in the page: ${drawn.toFixed(1)} MB/s drawn, ${parseOnly.toFixed(1)} MB/s parsing only (text written locally, no host: ceilings of the browser leg)`);
    return { results, parseOnly };
  } finally {
    await cleanup.run();
  }
}

const browser = await browserRuns();
const rawMb = median(raw);
const flotillaMb = median(flotilla);
const browserMb = median(browser.results);
// xterm_ceiling: the best ratio any host could reach with this page's xterm.js on this machine.
console.log(
  `terminal: raw=${rawMb.toFixed(1)} flotilla=${flotillaMb.toFixed(1)} browser=${browserMb.toFixed(1)} xterm_parse_only=${browser.parseOnly.toFixed(1)} ` +
    `host_ratio=${(flotillaMb / rawMb).toFixed(2)} xterm_ceiling=${(browser.parseOnly / rawMb).toFixed(2)} ratio=${(browserMb / rawMb).toFixed(2)}`,
);
// startFlotilla's start-up timer is never cleared: do not wait for it.
process.exit(0);
