// `npm run bench -- echo [SAMPLES]`: keystroke echo latency in a task terminal, through the
// whole way: a key given to the real UI's xterm.js in headless Chromium → input frame over the
// WebSocket → host → pty host → the task's sandboxed bash (readline echoes it) → output frame →
// xterm parses it → the next animation frame (when the browser paints it). Timed in the page.
//   idle   — nothing else running;
//   loaded — while 8 other task terminals (not shown: only their host-side mirrors parse) each
//            print ~1 MB/s (a bash loop: printf of 10 KB, a 10 ms pause without a fork).
// Last line: `echo: idle_p50=<ms> loaded_p95=<ms> idle_p95=<ms> … ratio=<loaded_p95/idle_p95>` (target ≤ 1.25).
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runBench } from './lib/runBench.js';
import { fixed, percentile, sleep } from './lib/stats.js';
import { openBenchPage, showTerminal, startTerminalHost } from './lib/terminalPage.js';

const SAMPLES = Number(process.argv[2] ?? 200);
const LOADERS = 8;
/** Keys per line before Ctrl-U clears it: the line never wraps. */
const KEYS_PER_LINE = 40;

/** One keystroke's echo in ms: from handing xterm the key to the frame after the character is parsed. */
async function measureKeystrokes(page: Page, count: number): Promise<number[]> {
  const samples: number[] = [];
  while (samples.length < count) {
    const batch = Math.min(KEYS_PER_LINE, count - samples.length);
    const got = await page.evaluate(async (keys) => {
      const term = [...(window.__flotillaTerminals?.values() ?? [])].at(-1);
      if (!term) throw new Error('no terminal on the page');
      const buffer = () => term.buffer.active;
      // 5 s: an echo that never comes is a failure, not a hang.
      const waitForCursor = (x: number) =>
        new Promise<void>((resolve, reject) => {
          if (buffer().cursorX === x) return resolve();
          const timer = setTimeout(() => {
            watch.dispose();
            reject(new Error(`no echo: cursor at ${buffer().cursorX}, expected ${x}`));
          }, 5_000);
          const watch = term.onWriteParsed(() => {
            if (buffer().cursorX !== x) return;
            clearTimeout(timer);
            watch.dispose();
            resolve();
          });
        });
      const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
      // A clean prompt line: Ctrl-U, then let its redraw settle.
      term.input('\x15', true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const base = buffer().cursorX;
      const out: number[] = [];
      for (let i = 1; i <= keys; i++) {
        // Irregular spacing (20-40 ms), like typing, so samples do not lock onto the host's batching.
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 20));
        const startedAt = performance.now();
        term.input('a', true);
        await waitForCursor(base + i);
        out.push((await nextFrame()) - startedAt);
      }
      return out;
    }, batch);
    samples.push(...got);
  }
  return samples;
}

/** Bytes of every terminal recording in `dir` (asciicast: the output, JSON-escaped). */
function recordingBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

function describe(label: string, samples: number[]): string {
  return `${label}: p50 ${fixed(percentile(samples, 50))} ms, p95 ${fixed(percentile(samples, 95))} ms, p99 ${fixed(percentile(samples, 99))} ms (${samples.length} keys)`;
}

await runBench('echo', async (cleanup) => {
  const { host, tasks } = await startTerminalHost(cleanup, 1 + LOADERS);
  const [shown, ...others] = tasks;
  if (!shown) throw new Error('no task');
  await host.api.invokeOk('terminal.open', { taskId: shown.id, kind: 'sandboxed', cols: 120, rows: 40 });
  const { page } = await openBenchPage(cleanup, host);
  await showTerminal(page, shown);
  // A short prompt: the sandboxed shell's default one names the worktree path and, with the
  // typed keys, would wrap in a narrow panel (the cursor column then no longer counts the keys).
  await page.evaluate(() => [...(window.__flotillaTerminals?.values() ?? [])].at(-1)?.input("PS1='$ '; clear\r", true));
  await sleep(500);
  await measureKeystrokes(page, 20); // warm-up: JIT, first frames

  const idle = await measureKeystrokes(page, SAMPLES);
  console.log(describe('idle', idle));

  for (const task of others) {
    const opened = await host.api.invokeOk('terminal.open', { taskId: task.id, kind: 'sandboxed', cols: 120, rows: 40 });
    // ~1 MB/s: 10 KB lines every ~10 ms. The pause is `read -t` on a pipe that never speaks (a
    // bash builtin): `sleep 0.01` forked 800 processes a second across the 8 loops, and measured
    // the machine's fork rate more than the printing.
    await host.api.invokeOk('terminal.write', {
      sessionId: opened.sessionId,
      data: "s=$(head -c 10000 /dev/zero | tr '\\0' x); exec 3< <(sleep 100000); while :; do printf '%s\\n' \"$s\"; read -t 0.01 -u 3; done\r",
    });
  }
  await sleep(2_000); // the loops are up to speed
  // What the loops really printed meanwhile: every terminal is recorded under FLOTILLA_HOME.
  const recorded = () => recordingBytes(path.join(host.home, 'recordings'));
  const [bytesBefore, startedAt] = [recorded(), performance.now()];
  const loaded = await measureKeystrokes(page, SAMPLES);
  const loadMbPerS = (recorded() - bytesBefore) / 1e6 / ((performance.now() - startedAt) / 1000);
  console.log(describe(`loaded (${LOADERS} terminals, ${fixed(loadMbPerS)} MB/s of output recorded in all)`, loaded));

  const idleP95 = percentile(idle, 95);
  const loadedP95 = percentile(loaded, 95);
  console.log(
    `echo: idle_p50=${fixed(percentile(idle, 50))} idle_p99=${fixed(percentile(idle, 99))} loaded_p50=${fixed(percentile(loaded, 50))} loaded_p99=${fixed(percentile(loaded, 99))} loaded_p95=${fixed(loadedP95)} idle_p95=${fixed(idleP95)} ratio=${fixed(loadedP95 / idleP95, 2)}`,
  );
});
