/**
 * `npm run bench -- board [shell]`: does the board keep up with a busy fleet?
 * 32 scripted agents run at once, each printing a line every 10 ms in its sandbox; the board
 * (the real renderer build served by `flotilla serve`) is open in headless Chromium. Over a
 * 10 s window we measure:
 *   - the board's frame time: the gap between requestAnimationFrame callbacks (p50/p95, ms);
 *     16.7 ms is 60 frames a second, the reference;
 *   - the host's event-loop lag, from outside: the wall time of a trivial `app.info` call over
 *     HTTP every 50 ms, against the same call in a window with no agents running (reference).
 * The board gets no command output (only the task views that watch a task do: `tasks.watch`);
 * a second loaded window with one task's view open shows the cost of following one chatty agent.
 * The printer is one perl process per agent (no fork per line); `shell` uses the loop
 * `for i in …; do echo …; sleep 0.01; done` instead, which forks a `sleep` 100 times a second
 * per agent (3,200 forks a second on the machine: a fork storm, not a board workload).
 * Last line: `board: frame_p95=<ms>ms frame_p50=<ms>ms api_p95=<ms>ms api_idle_p95=<ms>ms ratio=<frame_p95/16.7>`.
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/fixtures/browser.js';
import { startModelServer } from '../test/fixtures/modelServer.js';
import { makeTempRepo } from '../test/fixtures/tempRepo.js';
import { agentProcesses, createTasks, runningCommands, waitForRunningAgents } from './lib/agentProcesses.js';
import { startBenchHost, type BenchHost } from './lib/benchHost.js';
import { measureFrames } from './lib/frameProbe.js';
import { cpuSecondsOf, machineCpuSeconds, schedStatOf } from './lib/cpuStats.js';
import { processTree } from './lib/processTree.js';
import { runBench } from './lib/runBench.js';
import { fixed, max, percentile, sleep, waitUntil } from './lib/stats.js';

const AGENTS = 32;
const REPOS = 4;
/** 10 s windows: ~600 frames and ~150 API calls each. */
const WINDOW_MS = 10_000;
/** One `app.info` every 50 ms (after the previous answer): a light, steady probe. */
const API_EVERY_MS = 50;
const FRAME_BUDGET_MS = 1000 / 60;
/**
 * 30,000 lines at 100 a second: 5 minutes of output. Starting 32 agents on 2 cores while the
 * first ones already print takes a minute or more; all must still print during the window.
 * The host stops them when the benchmark ends.
 */
const LINES = 30_000;
const useShellLoop = process.argv[2] === 'shell';
const PRINTER = useShellLoop
  ? `for i in $(seq 1 ${LINES}); do echo line $i of some output; sleep 0.01; done`
  : `perl -e '$| = 1; for my $i (1..${LINES}) { print "line $i of some output\\n"; select(undef, undef, undef, 0.01) }'`;

interface WindowResult {
  frameMs: number[];
  longTaskMs: number[];
  apiMs: number[];
  /** WebSocket messages the page received, and their characters. */
  wsMessages: number;
  wsChars: number;
  /** CPU used during the window, in % of one core, by group. */
  cpu: Record<'host' | 'workers' | 'sandboxed' | 'chromium', number>;
  /** The host's main thread (its event loop), in % of the window: running, and runnable but waiting for a CPU. */
  hostThread: { onCpu: number; waiting: number };
  /** The whole machine's CPU use, in % of all cores. */
  machineBusy: number;
}

/**
 * Counts WebSocket messages inside the page: a listener added to every socket the app opens.
 * (Playwright's own frame events would make Chromium send each frame over CDP as well,
 * which costs the browser more than the board does.)
 */
const WS_COUNTER = `(() => {
  const Native = window.WebSocket;
  window.__benchWs = { messages: 0, chars: 0 };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        window.__benchWs.messages += 1;
        window.__benchWs.chars += typeof event.data === 'string' ? event.data.length : (event.data.byteLength ?? event.data.size ?? 0);
      });
    }
  };
})()`;

await runBench('board', async (cleanup) => {
  const model = await startModelServer({
    scenarios: [{ name: 'board', steps: [{ type: 'shell', command: PRINTER }, { type: 'message', text: 'done printing' }] }],
  });
  cleanup.defer('close the model server', () => model.close());
  const repoPaths: string[] = [];
  for (let i = 0; i < REPOS; i++) {
    const repo = await makeTempRepo({ name: `board repo ${i + 1}` });
    cleanup.defer(`remove ${repo.path}`, () => repo.cleanup());
    repoPaths.push(repo.path);
  }
  const host = await startBenchHost(cleanup, { modelUrl: model.url, maxRunning: AGENTS });
  const repoIds: string[] = [];
  for (const repoPath of repoPaths) repoIds.push((await host.api.invokeOk('repos.add', { path: repoPath })).repo.id);
  await host.api.invoke('app.info', {}); // the sandbox probe, once

  const browser = await launchChromium();
  cleanup.defer('close Chromium', () => browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(WS_COUNTER);
  await page.goto(host.flotilla.url);
  const inProgress = page.getByRole('region', { name: 'In progress' });
  await inProgress.waitFor({ timeout: 30_000 });
  await sleep(1_000);

  console.log(`board: ${os.cpus().length} cores; ${AGENTS} agents, each printing a line every 10 ms (${useShellLoop ? 'shell loop' : 'perl'}); ${WINDOW_MS / 1000} s windows`);
  const idle = await measureWindow(page, host);
  report('idle (board open, no agents)', idle);

  const startedAt = Date.now();
  const tasks = await createTasks(host.api, repoIds, AGENTS, (i) => `board bench agent ${i + 1}: print lines`);
  await waitForRunningAgents(host.api, host.pid, tasks, 30_000 + AGENTS * 5_000);
  console.log(`  all ${AGENTS} agents printing after ${fixed((Date.now() - startedAt) / 1000)} s`);
  const cards = await waitUntil(
    `${AGENTS} cards in In progress`,
    async () => {
      const count = await inProgress.getByRole('article').count();
      return count >= AGENTS ? count : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  ).catch(async () => inProgress.getByRole('article').count());
  if (cards < AGENTS) console.warn(`  warning: the board shows ${cards} cards in In progress, expected ${AGENTS}`);
  await sleep(1_000);

  const loaded = await measureWindow(page, host);
  const printing = runningCommands(agentProcesses(host.pid));
  report(`loaded (${printing} of ${AGENTS} agents still printing at the end)`, loaded);

  // How a busy fleet is usually looked at: the board plus one task's transcript, which watches
  // that task and so receives its command's output (about 100 lines a second) live.
  await inProgress.getByRole('article').first().getByRole('button').first().click();
  const view = page.getByRole('region', { name: /^Task: / });
  await view.getByRole('group', { name: /^Command: / }).first().waitFor({ timeout: 30_000 });
  const viewing = await measureWindow(page, host);
  report('loaded, one task open (its transcript following its printing command)', viewing);
  // What the block lays out on each update: its tail, not the 200 k characters the view keeps.
  const shown = await view.getByRole('group', { name: /^Command: / }).first().getByRole('log', { name: 'Output' }).textContent({ timeout: 5_000 }).catch(() => null);
  if (shown !== null) console.log(`    its command's output in the page: ${shown.split('\n').length - 1} lines, ${fixed(shown.length / 1024)} K chars`);
  await view.getByRole('button', { name: 'Close' }).click();
  await view.waitFor({ state: 'hidden' });

  // A control: a blank page in the same browser, under the same load, with the board still
  // open and busy. Smooth here and not on the board: the board's own work drops its frames.
  const blank = await browser.newPage();
  const control = await measureFrames(blank, WINDOW_MS);
  await blank.close();
  console.log(
    `  control: a blank page under the same load: frames ${control.frameMs.length}, p50 ${fixed(percentile(control.frameMs, 50))} ms, ` +
      `p95 ${fixed(percentile(control.frameMs, 95))} ms, max ${fixed(max(control.frameMs))} ms`,
  );

  // An experiment, not Flotilla's behaviour: the same load with every agent process (worker,
  // bwrap, printer) at nice 10, as the host could set them, to see whether the lag above is the
  // host and the browser waiting for a CPU behind the agents.
  let reniced = 0;
  const everyAgent = agentProcesses(host.pid);
  for (const p of [...everyAgent.workers.flatMap(({ worker, sandboxed }) => [worker, ...sandboxed]), ...everyAgent.commands]) {
    try {
      os.setPriority(p.pid, 10);
      reniced += 1;
    } catch {
      // Ended meanwhile.
    }
  }
  const niced = await measureWindow(page, host);
  report(`experiment: the same with the ${reniced} agent processes at nice 10`, niced);

  const frameP95 = percentile(loaded.frameMs, 95);
  console.log(
    `board: frame_p95=${fixed(frameP95)}ms frame_p50=${fixed(percentile(loaded.frameMs, 50))}ms ` +
      `api_p95=${fixed(percentile(loaded.apiMs, 95))}ms api_idle_p95=${fixed(percentile(idle.apiMs, 95))}ms ratio=${fixed(frameP95 / FRAME_BUDGET_MS, 2)}`,
  );
});

async function measureWindow(page: Page, host: BenchHost): Promise<WindowResult> {
  const wsBefore = await wsCount(page);
  const cpuBefore = cpuByGroup(host.pid);
  const threadBefore = schedStatOf(host.pid);
  const machineBefore = machineCpuSeconds();
  const [frames, apiMs] = await Promise.all([measureFrames(page, WINDOW_MS), timeApi(host, WINDOW_MS)]);
  const machineAfter = machineCpuSeconds();
  const threadAfter = schedStatOf(host.pid);
  const cpuAfter = cpuByGroup(host.pid);
  const wsAfter = await wsCount(page);
  const cpu = { host: 0, workers: 0, sandboxed: 0, chromium: 0 };
  for (const group of Object.keys(cpu) as (keyof typeof cpu)[]) {
    let seconds = 0;
    // Processes that ended during the window are missed: short-lived commands are undercounted.
    for (const [pid, after] of cpuAfter[group]) seconds += after - (cpuBefore[group].get(pid) ?? 0);
    cpu[group] = (seconds / (WINDOW_MS / 1000)) * 100;
  }
  const percentOfWindow = (ms: number) => (ms / WINDOW_MS) * 100;
  return {
    ...frames,
    apiMs,
    wsMessages: wsAfter.messages - wsBefore.messages,
    wsChars: wsAfter.chars - wsBefore.chars,
    cpu,
    hostThread: {
      onCpu: threadBefore && threadAfter ? percentOfWindow(threadAfter.onCpuMs - threadBefore.onCpuMs) : NaN,
      waiting: threadBefore && threadAfter ? percentOfWindow(threadAfter.waitingMs - threadBefore.waitingMs) : NaN,
    },
    machineBusy: ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100,
  };
}

async function wsCount(page: Page): Promise<{ messages: number; chars: number }> {
  const count: unknown = await page.evaluate('window.__benchWs');
  if (typeof count !== 'object' || count === null || !('messages' in count) || !('chars' in count)) return { messages: NaN, chars: NaN };
  return { messages: Number(count.messages), chars: Number(count.chars) };
}

/** `app.info` over HTTP, one after another with a 50 ms pause, for `windowMs`. */
async function timeApi(host: BenchHost, windowMs: number): Promise<number[]> {
  const samples: number[] = [];
  const end = Date.now() + windowMs;
  while (Date.now() < end) {
    samples.push(await host.api.time('app.info', {}));
    await sleep(API_EVERY_MS);
  }
  return samples;
}

/** CPU seconds used so far by each process of each group, keyed by pid. */
function cpuByGroup(hostPid: number): Record<keyof WindowResult['cpu'], Map<number, number>> {
  const groups = { host: new Map<number, number>(), workers: new Map<number, number>(), sandboxed: new Map<number, number>(), chromium: new Map<number, number>() };
  const note = (map: Map<number, number>, pid: number) => {
    const seconds = cpuSecondsOf(pid);
    if (seconds !== null) map.set(pid, seconds);
  };
  const agents = agentProcesses(hostPid);
  if (agents.host) note(groups.host, agents.host.pid);
  // The pty host is Flotilla's own work (it carries every command's output): counted with the host.
  if (agents.ptyHost) note(groups.host, agents.ptyHost.pid);
  for (const { worker, sandboxed } of agents.workers) {
    note(groups.workers, worker.pid);
    for (const p of sandboxed) note(groups.sandboxed, p.pid);
  }
  for (const p of agents.commands) note(groups.sandboxed, p.pid);
  for (const p of processTree(process.pid)) if (/chrom/i.test(p.command)) note(groups.chromium, p.pid);
  return groups;
}

function report(label: string, window: WindowResult): void {
  const seconds = WINDOW_MS / 1000;
  const longTotal = window.longTaskMs.reduce((total, ms) => total + ms, 0);
  console.log(`  ${label}:`);
  console.log(
    `    frames: ${window.frameMs.length} (${fixed(window.frameMs.length / seconds)}/s) p50 ${fixed(percentile(window.frameMs, 50))} ms, ` +
      `p95 ${fixed(percentile(window.frameMs, 95))} ms, max ${fixed(max(window.frameMs))} ms; ` +
      `long tasks ${window.longTaskMs.length} (${fixed(longTotal, 0)} ms in all)`,
  );
  console.log(
    `    app.info: ${window.apiMs.length} calls, p50 ${fixed(percentile(window.apiMs, 50))} ms, p95 ${fixed(percentile(window.apiMs, 95))} ms, ` +
      `max ${fixed(max(window.apiMs))} ms`,
  );
  console.log(`    WebSocket to the board: ${fixed(window.wsMessages / seconds, 0)} messages/s, ${fixed(window.wsChars / seconds / 1024, 0)} K chars/s`);
  console.log(
    `    CPU (% of one core): host ${fixed(window.cpu.host, 0)}, workers ${fixed(window.cpu.workers, 0)}, ` +
      `sandboxed ${fixed(window.cpu.sandboxed, 0)}, Chromium ${fixed(window.cpu.chromium, 0)}; machine ${fixed(window.machineBusy, 0)}% busy; ` +
      `host event-loop thread on a CPU ${fixed(window.hostThread.onCpu, 0)}% of the time, waiting for one ${fixed(window.hostThread.waiting, 0)}%`,
  );
}
