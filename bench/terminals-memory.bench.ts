// `npm run bench -- terminals-memory`: what an open task terminal costs the host, in memory.
//   flotilla  — a real `flotilla serve`: open 16 task terminals (sandboxed shells), each prints
//               `seq 1 30000` (its 10 000 lines of scrollback fill up); RSS of the host (with its
//               mirror worker thread) + the pty host, minus the host's RSS before the first
//               terminal, per terminal.
//   reference — the least that offers the same: one plain Node process with 16 node-pty ptys
//               and a headless xterm each (bench/lib/terminalsReference.ts), RSS growth per
//               terminal for the same output.
// The shells themselves (bwrap, bash) are the user's programs and are counted in neither.
// Last line: `terminals-memory: flotilla_per_terminal_mb=<n> reference_per_terminal_mb=<n> … ratio=<flotilla/reference>`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBench } from './lib/runBench.js';
import { processTree, rssKbOf } from './lib/processTree.js';
import { fixed, sleep, waitUntil } from './lib/stats.js';
import { startTerminalHost } from './lib/terminalPage.js';

const TERMINALS = 16;
const COMMAND = 'seq 1 30000';
const here = path.dirname(fileURLToPath(import.meta.url));

/** Host + pty host RSS in KiB (the pty host is the host's child running ptyHost.js). */
function flotillaRssKb(hostPid: number): { hostKb: number; ptyHostKb: number } {
  const tree = processTree(hostPid);
  const hostKb = tree.find((p) => p.depth === 0)?.rssKb ?? 0;
  const ptyHostKb = tree.filter((p) => p.depth === 1 && p.command.includes('ptyHost.js')).reduce((sum, p) => sum + p.rssKb, 0);
  return { hostKb, ptyHostKb };
}

/** Three readings a second apart; the median, so one GC in the middle does not decide. */
async function steadyRssKb(read: () => number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 3; i++) {
    readings.push(read());
    await sleep(1_000);
  }
  return [...readings].sort((a, b) => a - b)[1] ?? 0;
}

async function referencePerTerminalKb(): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'lib', 'terminalsReference.ts'), String(TERMINALS), COMMAND], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    const before = await waitUntil('the reference starts', () => Number(/rss_before_kb=(\d+)/.exec(output)?.[1]) || undefined, { timeoutMs: 30_000 });
    await waitUntil('the reference terminals finish', () => /rss_after_kb=\d+/.test(output) || undefined, { timeoutMs: 120_000 });
    await sleep(1_000);
    const after = await steadyRssKb(() => rssKbOf(child.pid ?? 0) ?? 0);
    return (after - before) / TERMINALS;
  } finally {
    child.kill('SIGKILL');
  }
}

await runBench('terminals-memory', async (cleanup) => {
  const { host, tasks } = await startTerminalHost(cleanup, TERMINALS);
  await sleep(2_000);
  const beforeKb = await steadyRssKb(() => flotillaRssKb(host.pid).hostKb);
  const sessions: string[] = [];
  for (const task of tasks) {
    const opened = await host.api.invokeOk('terminal.open', { taskId: task.id, kind: 'sandboxed', cols: 120, rows: 40 });
    sessions.push(opened.sessionId);
    await host.api.invokeOk('terminal.write', { sessionId: opened.sessionId, data: `${COMMAND}; exit\r` });
  }
  await waitUntil(
    `${TERMINALS} terminals done printing`,
    async () => {
      const listed = await Promise.all(tasks.map((task) => host.api.invokeOk('terminal.list', { taskId: task.id })));
      return listed.every((l) => l.terminals.every((t) => !t.isRunning)) ? true : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 500 },
  );
  // The mirrors parse behind the stream: give them time to finish.
  await sleep(3_000);
  const after = flotillaRssKb(host.pid);
  const hostKb = await steadyRssKb(() => flotillaRssKb(host.pid).hostKb);
  const ptyHostKb = after.ptyHostKb;
  const flotillaPerTerminalKb = (hostKb - beforeKb + ptyHostKb) / TERMINALS;
  console.log(`flotilla: host ${fixed(beforeKb / 1024)} → ${fixed(hostKb / 1024)} MB, pty host ${fixed(ptyHostKb / 1024)} MB, ${TERMINALS} terminals of ${COMMAND}`);
  for (const sessionId of sessions) await host.api.invoke('terminal.close', { sessionId });

  const referenceKb = await referencePerTerminalKb();
  console.log(`reference (node-pty + headless xterm per terminal, one process): ${fixed(referenceKb / 1024)} MB per terminal`);
  console.log(
    `terminals-memory: flotilla_per_terminal_mb=${fixed(flotillaPerTerminalKb / 1024)} reference_per_terminal_mb=${fixed(referenceKb / 1024)} host_mb=${fixed(hostKb / 1024)} pty_host_mb=${fixed(ptyHostKb / 1024)} ratio=${fixed(flotillaPerTerminalKb / referenceKb, 2)}`,
  );
});
