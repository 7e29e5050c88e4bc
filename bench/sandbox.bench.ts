/**
 * `npm run bench -- sandbox`: what one sandboxed command costs. Four ways to run `true`, 50
 * times each, interleaved (one of each per round, after a warm-up of each) so that the load of a
 * busy machine falls on all four alike:
 *
 * - sandboxed: runSandboxed (bwrap on Linux, with the seccomp filter, the process limiter and
 *   every mount a task gets);
 * - task bwrap: the same bwrap argv as sandboxed (built each time, as there), spawned directly:
 *   no launcher shell, no filter, no cgroup. It tells the cost of the task's mounts from the
 *   rest of what sandboxed adds;
 * - bare bwrap: `bwrap <isolation args> <base mounts> -- /bin/true`, no filter, no other mount:
 *   the floor any bwrap sandbox pays; the ratio is against it (target ≤ 2);
 * - direct: spawn `/bin/true` without a sandbox.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { probeProcessLimiter } from '../electron/core/sandbox/processLimit.js';
import { runSandboxed } from '../electron/core/sandbox/runSandboxed.js';
import { bareBwrapLaunch, makeBenchSandbox, taskBwrapLaunch } from './lib/benchSandbox.js';

const RUNS = 50;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest rank: the p90 of 50 samples is the 45th.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function spawnAndWait(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}: ${stderr.trim()}`))));
  });
}

/** Milliseconds per run of each contender, one run of each per round. */
async function timeInterleaved(contenders: Record<string, () => Promise<unknown>>): Promise<Record<string, number[]>> {
  const samples: Record<string, number[]> = {};
  for (const [name, run] of Object.entries(contenders)) {
    await run(); // warm-up: the sandbox probe, the filter file, the file cache
    samples[name] = [];
  }
  for (let i = 0; i < RUNS; i++) {
    for (const [name, run] of Object.entries(contenders)) {
      const startedAt = performance.now();
      await run();
      samples[name]?.push(performance.now() - startedAt);
    }
  }
  return samples;
}

const { root, spec, remove } = makeBenchSandbox('flotilla-bench-sandbox-');
try {
  const limiter = await probeProcessLimiter();
  const bare = bareBwrapLaunch();
  const samples = await timeInterleaved({
    sandboxed: async () => {
      const result = await runSandboxed(spec, 'true', { hiddenPaths: [root] });
      if (result.exitCode !== 0) throw new Error(`sandboxed true failed: ${result.output}`);
    },
    task: () => {
      const task = taskBwrapLaunch(spec, [root]);
      return spawnAndWait(task.file, task.args);
    },
    bare: () => spawnAndWait(bare.file, bare.args),
    direct: () => spawnAndWait('/bin/true', []),
  });

  const fmt = (ms: number) => ms.toFixed(1);
  const figures = (name: string) => {
    const runs = samples[name] ?? [];
    return { p50: percentile(runs, 50), p90: percentile(runs, 90) };
  };
  const sandboxed = figures('sandboxed');
  const taskBwrap = figures('task');
  const bareBwrap = figures('bare');
  const direct = figures('direct');
  console.log(`process limiter: ${limiter.kind === 'none' ? `none (${limiter.reason})` : limiter.kind}; ${os.cpus().length} cores; ${RUNS} runs each, interleaved`);
  console.log(`sandboxed (runSandboxed 'true'):  p50=${fmt(sandboxed.p50)}ms p90=${fmt(sandboxed.p90)}ms`);
  console.log(`task bwrap (same argv, spawned directly): p50=${fmt(taskBwrap.p50)}ms p90=${fmt(taskBwrap.p90)}ms`);
  console.log(`bare bwrap (no filter, base mounts): p50=${fmt(bareBwrap.p50)}ms p90=${fmt(bareBwrap.p90)}ms`);
  console.log(`direct (spawn /bin/true):         p50=${fmt(direct.p50)}ms p90=${fmt(direct.p90)}ms`);
  // Differences of medians: a rough split, not exact parts (each contender has its own noise).
  console.log(
    `sandboxed - bare = ${fmt(sandboxed.p50 - bareBwrap.p50)}ms: the task's mounts, built and applied, ${fmt(taskBwrap.p50 - bareBwrap.p50)}ms (task - bare), ` +
      `the launcher shell, filter, cgroup and Node work ${fmt(sandboxed.p50 - taskBwrap.p50)}ms (sandboxed - task)`,
  );
  console.log(
    `sandbox: sandboxed_p50=${fmt(sandboxed.p50)}ms bare_bwrap_p50=${fmt(bareBwrap.p50)}ms direct_p50=${fmt(direct.p50)}ms ` +
      `ratio=${(sandboxed.p50 / bareBwrap.p50).toFixed(2)}`,
  );
} finally {
  remove();
}
