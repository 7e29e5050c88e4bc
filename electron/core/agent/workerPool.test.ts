import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, waitFor } from '../terminal/testTerminals.js';
import { WorkerPool } from './agentRunner.js';

/** A stand-in worker: stays alive on its IPC channel until killed, like the real one before `start`. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-pool-'));
const script = path.join(dir, 'idleWorker.cjs');
fs.writeFileSync(script, "process.on('message', () => {});\n");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Gone for good: reaped, so the pool's ChildProcess has seen its exit too. 10 s: a SIGKILLed
 * child is reaped in milliseconds, but a loaded machine may not run this process for a while.
 */
const untilGone = (pid: number | undefined) => waitFor(`process ${pid} to be gone`, () => !isRunning(pid), 10_000);
const isRunning = (pid: number | undefined) => pid !== undefined && isAlive(pid);
/** Runs after what the pool queued with setImmediate (take() warms the next spare that way). */
const afterPoolImmediates = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkerPool', () => {
  it('hands out the warmed spare, then forks the next one', async () => {
    const pool = new WorkerPool({ env: process.env, workerScript: script });
    pool.warm();
    const spare = pool.sparePid;
    const taken = pool.take();
    expect(taken.pid).toBe(spare);
    await afterPoolImmediates();
    const next = pool.sparePid;
    expect(next).toBeDefined();
    expect(next).not.toBe(taken.pid);
    taken.kill();
    pool.dispose();
    await untilGone(next);
    expect(isRunning(next)).toBe(false);
  });

  it('never hands out a spare that died while waiting', async () => {
    const pool = new WorkerPool({ env: process.env, workerScript: script });
    pool.warm();
    const spare = pool.sparePid;
    if (spare !== undefined) process.kill(spare, 'SIGKILL');
    await untilGone(spare);
    const taken = pool.take();
    expect(taken.pid).not.toBe(spare);
    expect(taken.isConnected).toBe(true);
    taken.kill();
    pool.dispose();
  });
});

describe('WorkerPool with a spare that is not always wanted', () => {
  it('keeps no spare while none is wanted, ends the waiting one on trim, and warms again once wanted', async () => {
    let isWanted = true;
    const pool = new WorkerPool({ env: process.env, workerScript: script, wantsSpare: () => isWanted });
    pool.warm();
    const first = pool.sparePid;
    expect(isRunning(first)).toBe(true);

    // Every slot taken: the spare is memory no turn can use.
    isWanted = false;
    pool.trim();
    expect(pool.sparePid).toBeUndefined();
    await untilGone(first);
    expect(isRunning(first)).toBe(false);
    pool.warm();
    expect(pool.sparePid).toBeUndefined();

    // A turn that starts anyway gets a fresh worker, and no spare follows it.
    const taken = pool.take();
    expect(taken.isConnected).toBe(true);
    await afterPoolImmediates();
    expect(pool.sparePid).toBeUndefined();

    isWanted = true;
    pool.warm();
    expect(isRunning(pool.sparePid)).toBe(true);
    taken.kill();
    pool.dispose();
  });
});
