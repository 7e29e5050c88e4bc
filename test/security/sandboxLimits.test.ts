import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, hostPidsMatching, makeSandboxWorld, overrideEnv, type SandboxWorld } from './sandboxWorld.js';

/** SECURITY.md promises 9 and 10: floods and hangs are stopped, and nothing outlives its command. */
let world: SandboxWorld;
let restoreEnv: () => void;

beforeAll(async () => {
  world = await makeSandboxWorld();
  restoreEnv = overrideEnv({ HOME: world.userHome });
});

afterAll(() => {
  restoreEnv();
  world.dispose();
});

/** A sleep whose duration (in s) no other process on the host uses, to find it from outside. */
function uniqueSleep(): string {
  return String(900_000 + randomInt(99_999));
}

/**
 * Starts daemons that try hard to survive (own session, ignoring SIGHUP, output detached),
 * says 'started' once the host can see them, then lingers.
 */
function daemonCommand(token: string): string {
  return `setsid sleep ${token} >/dev/null 2>&1 < /dev/null & nohup sleep ${token} >/dev/null 2>&1 & echo started; sleep 600`;
}

describe('sandbox limits', () => {
  it('stops `yes` at the output cap with a visible marker', async () => {
    const result = await world.run('yes', { maxOutputChars: 10_000 });
    expect(result.isKilled).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.isTruncated).toBe(true);
    expect(result.output.startsWith('y\ny\n')).toBe(true);
    expect(result.output).toMatch(/\n\[output truncated: \d+ more bytes\]$/);
    expect(result.output.indexOf('\n[output truncated')).toBe(10_000);
  });

  it('stops a command at its wall-time limit', async () => {
    const result = await world.run('sleep 600', { timeoutMs: 300 });
    expect(result).toMatchObject({ isKilled: true, exitCode: null, isTruncated: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('kills background daemons when the command hits its time limit', async () => {
    const token = uniqueSleep();
    let sawDaemons = false;
    const result = await world.run(daemonCommand(token), {
      timeoutMs: 2_500,
      // Control: while the command runs, the host does see the daemons.
      onOutput: (chunk) => {
        if (chunk.includes('started')) void eventually(() => hostPidsMatching(token).length === 2).then((seen) => (sawDaemons = seen));
      },
    });
    expect(result.isKilled).toBe(true);
    expect(await eventually(() => hostPidsMatching(token).length === 0)).toBe(true);
    expect(sawDaemons).toBe(true);
  });

  it('kills the command and its daemons on abort', async () => {
    const token = uniqueSleep();
    const controller = new AbortController();
    const running = world.run(daemonCommand(token), {
      signal: controller.signal,
      onOutput: (chunk) => {
        if (!chunk.includes('started')) return;
        void eventually(() => hostPidsMatching(token).length === 2).then(() => controller.abort());
      },
    });
    const result = await running;
    expect(result).toMatchObject({ isKilled: true, exitCode: null });
    expect(result.durationMs).toBeLessThan(20_000);
    expect(await eventually(() => hostPidsMatching(token).length === 0)).toBe(true);
  });

  it('stop ends the whole tree within a second', async () => {
    const token = uniqueSleep();
    const controller = new AbortController();
    let abortedAt = 0;
    const running = world.run(`${daemonCommand(token)} & sh -c 'sleep ${token}' & wait`, {
      signal: controller.signal,
      onOutput: (chunk) => {
        if (!chunk.includes('started')) return;
        void eventually(() => hostPidsMatching(token).length >= 3).then(() => {
          abortedAt = performance.now();
          controller.abort();
        });
      },
    });
    const result = await running;
    const resolvedAfterMs = performance.now() - abortedAt;
    expect(result).toMatchObject({ isKilled: true, exitCode: null });
    expect(abortedAt).toBeGreaterThan(0);
    expect(resolvedAfterMs).toBeLessThan(1_000);
    // Nothing of the tree is left by then: no polling grace here.
    expect(hostPidsMatching(token)).toEqual([]);
  });

  it('kills daemons left behind by a command that exits on its own', async () => {
    const token = uniqueSleep();
    const result = await world.run(`setsid sleep ${token} >/dev/null 2>&1 < /dev/null & echo started`);
    expect(result).toMatchObject({ exitCode: 0, isKilled: false });
    expect(result.output).toBe('started\n');
    expect(await eventually(() => hostPidsMatching(token).length === 0)).toBe(true);
  });

  it('resolves at once when the signal is already aborted, without running anything', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await world.run('touch never.txt', { signal: controller.signal });
    expect(result).toMatchObject({ isKilled: true, exitCode: null, output: '' });
    expect(await world.run('test -e never.txt || echo absent')).toMatchObject({ output: 'absent\n' });
  });
});
