import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bwrapArgs } from '../../electron/core/sandbox/bwrapArgs.js';
import { defaultBwrapPath } from '../../electron/core/sandbox/probeSandbox.js';
import { CommandCgroup, DEFAULT_MAX_PROCESSES, probeProcessLimiter, type ProcessLimiter } from '../../electron/core/sandbox/processLimit.js';
import type { SandboxSpec } from '../../electron/core/sandbox/sandboxSpec.js';
import { pidsCgroupOrSkip } from '../fixtures/pidsCgroupOrSkip.js';
import { eventually, makeSandboxWorld, overrideEnv, type SandboxWorld } from './sandboxWorld.js';

/** SECURITY.md promise 9: a fork bomb is contained, the task ends, the app stays responsive. */
let world: SandboxWorld;
let restoreEnv: () => void;
let limiter: ProcessLimiter;

beforeAll(async () => {
  world = await makeSandboxWorld();
  restoreEnv = overrideEnv({ HOME: world.userHome });
  limiter = await probeProcessLimiter();
});

afterAll(() => {
  restoreEnv();
  world.dispose();
});

/** Host processes whose command line carries `token` (the bomb's shells all do: they are forks of one bash). */
function countProcesses(token: string): number {
  let count = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(token)) count += 1;
    } catch {
      // Exited while we looked.
    }
  }
  return count;
}

/** Watches the host while a bomb runs: the most processes seen, the worst event-loop lag, the slowest spawn. */
function watchHost(token: string) {
  const stats = { peakProcesses: 0, worstLagMs: 0, slowestSpawnMs: 0 };
  let expected = performance.now() + 50;
  const ticker = setInterval(() => {
    const now = performance.now();
    stats.worstLagMs = Math.max(stats.worstLagMs, now - expected);
    expected = now + 50;
    stats.peakProcesses = Math.max(stats.peakProcesses, countProcesses(token));
  }, 50);
  let isSpawning = true;
  const spawning = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    while (isSpawning) {
      const startedAt = performance.now();
      await new Promise((resolve) => spawn('/bin/true', { stdio: 'ignore' }).on('close', resolve));
      stats.slowestSpawnMs = Math.max(stats.slowestSpawnMs, performance.now() - startedAt);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    stats,
    stop: async () => {
      clearInterval(ticker);
      isSpawning = false;
      await spawning;
    },
  };
}

/**
 * bwrap hides root's home (/root) and shows its toolchains again; as nobody it cannot even look
 * into /root to place those mounts (and nobody cannot read it anyway), so they are left out here.
 */
function withoutMountsUnder(dir: string, args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') return [...out, ...args.slice(i)];
    const isUnder = (p: string | undefined) => p !== undefined && (p === dir || p.startsWith(`${dir}/`));
    if (arg === '--tmpfs' && isUnder(args[i + 1])) i += 1;
    else if (arg === '--ro-bind' && (isUnder(args[i + 1]) || isUnder(args[i + 2]))) i += 2;
    else if (arg === '--remount-ro' && isUnder(args[i + 1])) i += 1;
    else out.push(arg);
  }
  return out;
}

const bomb = (token: string) => `:(){ :|:& };:; sleep 600 # ${token}`;
const uniqueToken = () => `bomb-${process.pid}-${randomInt(1e9)}`;

describe('process-count limit', () => {
  it('has a limiter on this machine (or says exactly why not)', () => {
    // Linux as root: a pids cgroup; as a user: an rlimit in the user namespace.
    expect(limiter.kind, limiter.kind === 'none' ? limiter.reason : '').not.toBe('none');
  });

  it('contains a fork bomb: processes stop at the cap, the host stays responsive, nothing is left', async () => {
    const token = uniqueToken();
    const watch = watchHost(token);
    const result = await world.run(bomb(token), { timeoutMs: 5_000 });
    await watch.stop();
    expect(result).toMatchObject({ isKilled: true, exitCode: null });
    expect(result.durationMs).toBeLessThan(8_000);
    // Control: the bomb did explode…
    expect(watch.stats.peakProcesses).toBeGreaterThan(100);
    // …up to the cap (the launcher and bwrap count too), and the shells saw fork fail.
    expect(watch.stats.peakProcesses).toBeLessThanOrEqual(DEFAULT_MAX_PROCESSES);
    expect(result.output).toMatch(/fork: (retry: )?Resource temporarily unavailable/);
    // "Responsive", not "fast": 5 s bounds catch a frozen host without failing on a busy CI
    // machine (2 cores shared with other test files). Speed belongs to benchmarks.
    expect(watch.stats.worstLagMs).toBeLessThan(5_000);
    expect(watch.stats.slowestSpawnMs).toBeLessThan(5_000);
    expect(await eventually(() => countProcesses(token) === 0)).toBe(true);
  });

  it('applies a smaller cap when asked', async () => {
    const token = uniqueToken();
    const watch = watchHost(token);
    const result = await world.run(bomb(token), { timeoutMs: 3_000, maxProcesses: 40 });
    await watch.stop();
    expect(result.isKilled).toBe(true);
    expect(watch.stats.peakProcesses).toBeGreaterThan(20);
    expect(watch.stats.peakProcesses).toBeLessThanOrEqual(40);
    expect(await eventually(() => countProcesses(token) === 0)).toBe(true);
  });

  it.runIf(process.platform === 'linux')("a command cannot raise its own cgroup's limit", async (ctx) => {
    const parentDir = pidsCgroupOrSkip(limiter, ctx);
    const result = await world.run(`for f in ${parentDir}/flotilla-*/pids.max; do echo max > "$f" && echo RAISED; done`);
    expect(result.output).not.toContain('RAISED');
    expect(result.output).toMatch(/Read-only file system/);
  });

  // The rlimit way is what non-root users get. As root it can be checked by dropping to nobody;
  // a cgroup of 512 is kept around it as a safety net, so a broken rlimit shows up as > 64 processes.
  it.runIf(process.getuid?.() === 0)('for a non-root user, an rlimit inside the user namespace contains the bomb', async (ctx) => {
    // The cgroup is a safety net: without one a failing rlimit would take the machine down.
    const parentDir = pidsCgroupOrSkip(limiter, ctx);
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-nproc-'));
    try {
      fs.chmodSync(base, 0o755);
      const worktree = path.join(base, 'wt');
      const homeDir = path.join(base, 'home');
      for (const dir of [worktree, homeDir]) {
        fs.mkdirSync(dir);
        fs.chmodSync(dir, 0o777);
      }
      const spec: SandboxSpec = { mode: 'workspace-write', worktreePath: worktree, readOnlyPaths: [], extraWritablePaths: [], homeDir, allowNetwork: false };
      const token = uniqueToken();
      const args = withoutMountsUnder(os.userInfo().homedir, bwrapArgs(spec, bomb(token), { hostEnv: { PATH: process.env.PATH }, maxProcesses: 64 }));
      const net = await CommandCgroup.create(parentDir, 512);
      // The launcher joins the cgroup as root, then drops to nobody before bwrap starts.
      const launch = net.wrap('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', defaultBwrapPath(), ...args]);
      const watch = watchHost(token);
      let output = '';
      const child = spawn(launch.file, launch.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/bin:/bin' } });
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 3_000);
      await new Promise((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      await watch.stop();
      await net.release();
      expect(watch.stats.peakProcesses, output).toBeGreaterThan(20);
      // 64 in the sandbox's user namespace, plus the outer bwrap that made it.
      expect(watch.stats.peakProcesses).toBeLessThanOrEqual(65);
      expect(output).toMatch(/fork: (retry: )?Resource temporarily unavailable/);
      expect(await eventually(() => countProcesses(token) === 0)).toBe(true);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
