/**
 * `npm run bench -- worktree [FILES]`: what Flotilla adds on top of git when a task starts in a
 * big repo (default 50,000 small files, cached under os.tmpdir()).
 *   git      — `git worktree add --no-track -b b<n> <dir> HEAD` of the repo;
 *   flotilla — `tasks.create` over the HTTP API until the agent has started: the moment its
 *              first `/v1/responses` request reaches the scripted model server.
 * 5 runs each, alternating, after one warm-up of each (the file cache, the sandbox probe);
 * medians. Each worktree is removed after its run (outside the timing). For Flotilla the
 * journal's timestamps split the time into phases, printed per run.
 * Last line: `worktree: git=<ms>ms flotilla=<ms>ms ratio=<flotilla/git>` (target ≤ 1.2).
 *
 * Everything (the cached repo, both kinds of worktree, FLOTILLA_HOME) lives under os.tmpdir():
 * `TMPDIR=/dev/shm npm run bench -- worktree` measures on a tmpfs, where the kernel's cost of
 * creating 50,000 files does not drown what git and Flotilla do (on some VM disks one
 * checkout takes 4 to 50 s of system time, varying run to run).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TaskEvent } from '../shared/model/taskEvents.js';
import { startModelServer, type RecordedRequest } from '../test/fixtures/modelServer.js';
import { startBenchHost, type BenchHost } from './lib/benchHost.js';
import { ensureBigRepo, git, resetBigRepo } from './lib/bigRepo.js';
import { runBench } from './lib/runBench.js';
import { fixed, median, waitUntil } from './lib/stats.js';

const FILE_COUNT = Number(process.argv[2] ?? 50_000);
const RUNS = 5;
/** Marks the prompts of this run, so a request is matched to its task by its text. */
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;

/** When the first model request carrying each tag arrived: performance.now() and epoch ms. */
const arrivals = new Map<string, { at: number; epochMs: number }>();

interface FlotillaRun {
  totalMs: number;
  /** Epoch-ms offsets from the moment `tasks.create` was sent. */
  phases: { createReturned: number; taskCreated: number; queued: number; running: number; firstRequest: number; review: number };
}

await runBench('worktree', async (cleanup) => {
  const madeAt = performance.now();
  const repo = await ensureBigRepo(FILE_COUNT);
  console.log(`worktree: repo of ${FILE_COUNT} files ${repo.isFresh ? `generated in ${fixed((performance.now() - madeAt) / 1000)} s` : 'reused from the cache'} (${repo.path}); ${os.cpus().length} cores`);
  cleanup.defer('reset the big repo', () => resetBigRepo(repo.path));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-worktree-'));
  cleanup.defer(`remove ${scratch}`, () => fs.rmSync(scratch, { recursive: true, force: true }));

  const model = await startModelServer({ scenarios: [{ name: 'worktree', steps: [{ type: 'message', text: 'ok' }] }] });
  cleanup.defer('close the model server', () => model.close());
  hookArrivals(model.requests);

  const host = await startBenchHost(cleanup, { modelUrl: model.url });
  const { repo: added } = await host.api.invokeOk('repos.add', { path: repo.path });
  await host.api.invoke('app.info', {}); // the sandbox probe, once

  const gitAdd = async (n: number): Promise<number> => {
    const dir = path.join(scratch, `git-${n}`);
    const startedAt = performance.now();
    await git(repo.path, ['worktree', 'add', '--quiet', '--no-track', '-b', `b${n}`, dir, 'HEAD']);
    const elapsed = performance.now() - startedAt;
    await git(repo.path, ['worktree', 'remove', '--force', dir]);
    await git(repo.path, ['branch', '--delete', '--force', `b${n}`]);
    return elapsed;
  };

  await gitAdd(0);
  await flotillaStart(host, added.id, 0);
  const gitMs: number[] = [];
  const flotillaRuns: FlotillaRun[] = [];
  for (let n = 1; n <= RUNS; n++) {
    gitMs.push(await gitAdd(n));
    flotillaRuns.push(await flotillaStart(host, added.id, n));
    const run = flotillaRuns[flotillaRuns.length - 1];
    if (!run) continue;
    const p = run.phases;
    console.log(
      `  run ${n}: git ${fixed(gitMs[gitMs.length - 1] ?? NaN, 0)} ms | flotilla ${fixed(run.totalMs, 0)} ms: ` +
        `task_created +${p.taskCreated}, create answered +${p.createReturned}, queued +${p.queued}, running +${p.running}, ` +
        `first model request +${p.firstRequest} (then review +${p.review}) ms`,
    );
  }

  // Medians of each phase's own length across the runs.
  const phase = (length: (p: FlotillaRun['phases']) => number) => fixed(median(flotillaRuns.map((r) => length(r.phases))), 0);
  console.log(
    `  flotilla medians by phase: create → task_created ${phase((p) => p.taskCreated)} ms (inspect + name checks at once, for-each-ref, git worktree add, journal); ` +
      `task_created → running ${phase((p) => p.running - p.taskCreated)} ms (queue); ` +
      `running → first model request ${phase((p) => p.firstRequest - p.running)} ms (sandbox paths, start message to the warm worker, its first HTTP request)`,
  );
  // What one `git status` of the user's checkout costs: the create path runs one (at nice 19, alongside
  // `git worktree add`) to say whether the checkout holds changes the task will not have.
  const statusMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const startedAt = performance.now();
    await git(repo.path, ['status', '--porcelain=v1', '-z', '--untracked-files=normal']);
    statusMs.push(performance.now() - startedAt);
  }
  console.log(`  for reference: one \`git status\` of the ${FILE_COUNT}-file checkout takes ${fixed(median(statusMs), 0)} ms`);
  const smallGitMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const startedAt = performance.now();
    await git(repo.path, ['rev-parse', '--show-toplevel']);
    smallGitMs.push(performance.now() - startedAt);
  }
  console.log(`  for reference: one small git call (rev-parse) takes ${fixed(median(smallGitMs), 0)} ms`);
  const coldStartMs: number[] = [];
  for (let i = 0; i < 3; i++) coldStartMs.push(await workerColdStart());
  console.log(`  for reference: starting the agent worker's Node with its imports (no IPC, so it exits at once) takes ${fixed(median(coldStartMs), 0)} ms`);

  const gitMedian = median(gitMs);
  const flotillaMedian = median(flotillaRuns.map((r) => r.totalMs));
  console.log(`worktree: git=${fixed(gitMedian, 0)}ms flotilla=${fixed(flotillaMedian, 0)}ms ratio=${fixed(flotillaMedian / gitMedian, 2)}`);
});

/** Creates a task and times it to its first model request; waits for its turn to end, then discards it. */
async function flotillaStart(host: BenchHost, repoId: string, n: number): Promise<FlotillaRun> {
  const tag = `wt-bench-${RUN_ID}-${n}`;
  const sentEpoch = Date.now();
  const sentAt = performance.now();
  const { task } = await host.api.invokeOk('tasks.create', { repo: repoId, prompt: `Start in the big repo (${tag})`, title: `worktree bench ${n}` });
  const returnedAt = performance.now();
  const arrival = await waitUntil(`the first model request of ${tag}`, () => arrivals.get(tag), { timeoutMs: 120_000, intervalMs: 20 });
  // The turn ends with a checkpoint of the worktree: let it finish before the next run starts.
  await waitUntil(
    `task ${task.id} to end its turn`,
    async () => {
      const got = await host.api.invokeOk('tasks.get', { id: task.id });
      if (got.task.status === 'failed') throw new Error(`task ${task.id} failed: ${got.task.statusReason ?? ''}`);
      return got.task.status === 'review' ? got.task : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 50 },
  );
  const { events } = await host.api.invokeOk('tasks.events', { id: task.id });
  await host.api.invokeOk('tasks.discard', { id: task.id });

  const at = (match: (e: TaskEvent) => boolean) => {
    const event = events.find(match);
    return event ? event.at - sentEpoch : NaN;
  };
  const statusAt = (to: string) => at((e) => e.body.kind === 'status_changed' && e.body.to === to);
  return {
    totalMs: arrival.at - sentAt,
    phases: {
      createReturned: Math.round(returnedAt - sentAt),
      taskCreated: at((e) => e.body.kind === 'task_created'),
      queued: statusAt('queued'),
      running: statusAt('running'),
      firstRequest: arrival.epochMs - sentEpoch,
      review: statusAt('review'),
    },
  };
}

/** Runs the built agentWorker.js without an IPC channel: Node starts, evaluates every import, and exits. */
function workerColdStart(): Promise<number> {
  const script = path.join(import.meta.dirname, '..', 'out', 'electron', 'core', 'agent', 'agentWorker.js');
  const startedAt = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [script], () => resolve(performance.now() - startedAt));
  });
}

/**
 * Notes when each tagged conversation first reaches the model server: the fixture records
 * every request in `requests` as it arrives, so its `push` is the hook.
 */
function hookArrivals(requests: RecordedRequest[]): void {
  const push = requests.push.bind(requests);
  requests.push = (...items: RecordedRequest[]): number => {
    const at = performance.now();
    const epochMs = Date.now();
    for (const item of items) {
      const tag = /wt-bench-[\w-]+/.exec(JSON.stringify(item.body))?.[0];
      if (tag && !arrivals.has(tag)) arrivals.set(tag, { at, epochMs });
    }
    return push(...items);
  };
}
