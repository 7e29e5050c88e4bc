/**
 * `npm run bench -- fleet [N…]`: memory per running agent. For each N (default 1, 8, 32) a fresh
 * `flotilla serve` runs N scripted agents at once (maxRunning raised to N), each inside a
 * sandboxed `sleep` so that all are mid-turn when we sample. We read VmRSS from /proc of the
 * host (the serve process) and of its agent workers (its forked children), a few times, and
 * keep the peak. Sandboxed commands (bwrap and what runs in it, the workers' children) are the
 * workload, not Flotilla: they are printed but not counted.
 *
 *   per agent = (host + workers at the peak − the same host idle, before any task) / N
 *
 * The reference is the Codex CLI's peak RSS on the same scripted scenario, about 150 MB (the
 * figure given in issue 5; Codex cannot be installed or run on this machine, so it is not
 * measured here). Last line: `fleet: per_agent_1=<MB> … host_idle=<MB> ratio=<per_agent_max/150>`.
 */
import os from 'node:os';
import { startModelServer } from '../test/fixtures/modelServer.js';
import { makeTempRepo } from '../test/fixtures/tempRepo.js';
import { agentProcesses, createTasks, rssKb, waitForRunningAgents, type RssKb } from './lib/agentProcesses.js';
import { startBenchHost } from './lib/benchHost.js';
import type { CleanupStack } from './lib/cleanupStack.js';
import { memoryOf, type MemoryKb } from './lib/processTree.js';
import { runBench } from './lib/runBench.js';
import { fixed, median, sleep } from './lib/stats.js';

const LEVELS = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
if (LEVELS.length === 0) LEVELS.push(1, 8, 32);
/** MB here are MiB: /proc reports KiB. */
const CODEX_PEAK_RSS_MB = 150;
/** Long enough that the first agent still sleeps when the 32nd starts (~1 s each on 2 cores). */
const AGENT_COMMAND = 'sleep 300';
const REPOS = 4;
/** 5 samples 400 ms apart: RSS moves a little as the workers' heaps settle; we keep the peak. */
const SAMPLES = 5;
const SAMPLE_EVERY_MS = 400;

const mb = (kb: number) => kb / 1024;
const NO_MEMORY: MemoryKb = { rss: 0, pss: 0, anonymous: 0 };
const addMemory = (a: MemoryKb, b: MemoryKb): MemoryKb => ({ rss: a.rss + b.rss, pss: a.pss + b.pss, anonymous: a.anonymous + b.anonymous });

interface LevelResult {
  agents: number;
  idleHostKb: number;
  peak: RssKb & { workerCount: number };
  /** smaps of the counted processes at the peak sample, summed: host, and workers. */
  hostMemory: MemoryKb;
  workerMemory: MemoryKb;
  perAgentMb: number;
}

await runBench('fleet', async (cleanup) => {
  const model = await startModelServer({
    scenarios: [{ name: 'fleet', steps: [{ type: 'shell', command: AGENT_COMMAND }, { type: 'message', text: 'done' }] }],
  });
  cleanup.defer('close the model server', () => model.close());
  const repoPaths: string[] = [];
  for (let i = 0; i < REPOS; i++) {
    const repo = await makeTempRepo({ name: `fleet repo ${i + 1}` });
    cleanup.defer(`remove ${repo.path}`, () => repo.cleanup());
    repoPaths.push(repo.path);
  }

  console.log(`fleet: ${os.cpus().length} cores, ${fixed(os.totalmem() / 2 ** 30)} GiB; levels ${LEVELS.join(', ')}; scenario: one sandboxed \`${AGENT_COMMAND}\` per agent`);
  console.log('counted: the host (flotilla serve) + its agent workers; not counted: sandboxed commands (bwrap + sleep)');
  const results: LevelResult[] = [];
  for (const agents of LEVELS) results.push(await measureLevel(cleanup, agents, model.url, repoPaths));

  const idleMb = median(results.map((r) => mb(r.idleHostKb)));
  const largest = results[results.length - 1];
  if (!largest) throw new Error('no level measured');
  console.log(`reference: Codex CLI peak RSS ≈ ${CODEX_PEAK_RSS_MB} MB on the same scenario (figure from issue 5; not measured: Codex cannot run here)`);
  const perLevel = results.map((r) => `per_agent_${r.agents}=${fixed(r.perAgentMb)}`).join(' ');
  console.log(`fleet: ${perLevel} host_idle=${fixed(idleMb)} ratio=${fixed(largest.perAgentMb / CODEX_PEAK_RSS_MB, 2)}`);
});

async function measureLevel(cleanup: CleanupStack, agents: number, modelUrl: string, repoPaths: string[]): Promise<LevelResult> {
  const host = await startBenchHost(cleanup, { modelUrl, maxRunning: Math.max(agents, 4) });
  try {
    const repoIds: string[] = [];
    for (const repoPath of repoPaths) repoIds.push((await host.api.invokeOk('repos.add', { path: repoPath })).repo.id);
    // Warm-up: app.info probes the sandbox once; then let start-up garbage settle.
    await host.api.invoke('app.info', {});
    await sleep(1_000);
    let idleHostKb = 0;
    let idlePssKb = 0;
    for (let i = 0; i < 3; i++) {
      idleHostKb = Math.max(idleHostKb, rssKb(agentProcesses(host.pid)).host);
      idlePssKb = Math.max(idlePssKb, memoryOf(host.pid)?.pss ?? 0);
      await sleep(200);
    }

    const startedAt = Date.now();
    const tasks = await createTasks(host.api, repoIds, agents, (i) => `fleet bench agent ${i + 1}`);
    await waitForRunningAgents(host.api, host.pid, tasks, 30_000 + agents * 3_000);
    const startSeconds = (Date.now() - startedAt) / 1000;
    await sleep(1_000);

    let peak: LevelResult['peak'] = { host: 0, workers: 0, sandboxed: 0, ptyHost: 0, others: 0, workerCount: 0 };
    let hostMemory = NO_MEMORY;
    let workerMemory = NO_MEMORY;
    for (let i = 0; i < SAMPLES; i++) {
      const processes = agentProcesses(host.pid);
      const rss = rssKb(processes);
      if (rss.host + rss.workers + rss.ptyHost > peak.host + peak.workers + peak.ptyHost) {
        peak = { ...rss, workerCount: processes.workers.length };
        hostMemory = memoryOf(host.pid) ?? NO_MEMORY;
        workerMemory = processes.workers.map((w) => memoryOf(w.worker.pid) ?? NO_MEMORY).reduce(addMemory, NO_MEMORY);
      }
      await sleep(SAMPLE_EVERY_MS);
    }
    if (peak.workerCount !== agents) console.warn(`  warning: ${peak.workerCount} workers at the peak sample, expected ${agents}`);

    // The pty host counts: it holds every agent's command ptys.
    const perAgentMb = mb(peak.host + peak.workers + peak.ptyHost - idleHostKb) / agents;
    console.log(
      `  N=${agents}: all running after ${fixed(startSeconds)} s; host ${fixed(mb(peak.host))} MB (idle ${fixed(mb(idleHostKb))} MB, +${fixed(mb(peak.host - idleHostKb) / agents)} MB/agent); ` +
        `workers ${peak.workerCount} × ${fixed(mb(peak.workers) / Math.max(1, peak.workerCount))} MB = ${fixed(mb(peak.workers))} MB; pty host ${fixed(mb(peak.ptyHost))} MB; ` +
        `per agent ${fixed(perAgentMb)} MB`,
    );
    const perWorker = (kb: number) => fixed(mb(kb) / Math.max(1, peak.workerCount));
    console.log(
      `        one worker: RSS ${perWorker(workerMemory.rss)} MB = anonymous (heap, stacks) ${perWorker(workerMemory.anonymous)} MB + ` +
        `file-backed (node binary, libraries; shared) ${perWorker(workerMemory.rss - workerMemory.anonymous)} MB; PSS ${perWorker(workerMemory.pss)} MB`,
    );
    const pssPerAgent = mb(hostMemory.pss + workerMemory.pss - idlePssKb) / agents;
    console.log(
      `        with shared pages split (PSS): ${fixed(pssPerAgent)} MB per agent; ` +
        `not counted: sandboxed commands ${fixed(mb(peak.sandboxed))} MB RSS, other host children ${fixed(mb(peak.others))} MB`,
    );
    return { agents, idleHostKb, peak, hostMemory, workerMemory, perAgentMb };
  } finally {
    await host.stop();
  }
}
