/**
 * `npm run bench -- sandbox`: what one sandboxed command costs. 50 runs of `true` through
 * runSandboxed (bwrap on Linux, with the process limiter and every mount a task gets) against
 * 50 spawns of `/bin/true` without a sandbox. Runs one after another, after a warm-up of each.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { probeProcessLimiter } from '../electron/core/sandbox/processLimit.js';
import { runSandboxed } from '../electron/core/sandbox/runSandboxed.js';
import { makeBenchSandbox } from './lib/benchSandbox.js';

const RUNS = 50;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest rank: the p90 of 50 samples is the 45th.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function spawnTrue(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/true', [], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`/bin/true exited with ${code}`))));
  });
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm-up: the sandbox probe, the file cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const startedAt = performance.now();
    await run();
    samples.push(performance.now() - startedAt);
  }
  return samples;
}

const { root, spec, remove } = makeBenchSandbox('flotilla-bench-sandbox-');
try {
  const limiter = await probeProcessLimiter();

  const sandboxed = await time(async () => {
    const result = await runSandboxed(spec, 'true', { hiddenPaths: [root] });
    if (result.exitCode !== 0) throw new Error(`sandboxed true failed: ${result.output}`);
  });
  const direct = await time(spawnTrue);

  const fmt = (ms: number) => ms.toFixed(1);
  const s50 = percentile(sandboxed, 50);
  const d50 = percentile(direct, 50);
  console.log(`process limiter: ${limiter.kind === 'none' ? `none (${limiter.reason})` : limiter.kind}; ${os.cpus().length} cores; ${RUNS} runs each`);
  console.log(`sandboxed (runSandboxed 'true'): p50=${fmt(s50)}ms p90=${fmt(percentile(sandboxed, 90))}ms`);
  console.log(`direct (spawn /bin/true):        p50=${fmt(d50)}ms p90=${fmt(percentile(direct, 90))}ms`);
  console.log(`sandbox: sandboxed_p50=${fmt(s50)}ms direct_p50=${fmt(d50)}ms ratio=${(s50 / d50).toFixed(2)}`);
} finally {
  remove();
}
