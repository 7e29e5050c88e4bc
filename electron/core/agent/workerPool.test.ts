import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from './agentRunner.js';

/** A stand-in worker: stays alive on its IPC channel until killed, like the real one before `start`. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-pool-'));
const script = path.join(dir, 'idleWorker.cjs');
fs.writeFileSync(script, "process.on('message', () => {});\n");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const isAlive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('WorkerPool', () => {
  it('hands out the warmed spare, then forks the next one', async () => {
    const pool = new WorkerPool({ env: process.env, workerScript: script });
    pool.warm();
    const spare = pool.sparePid;
    const taken = pool.take();
    expect(taken.pid).toBe(spare);
    await tick();
    const next = pool.sparePid;
    expect(next).toBeDefined();
    expect(next).not.toBe(taken.pid);
    taken.kill('SIGKILL');
    pool.dispose();
    await tick();
    expect(isAlive(next)).toBe(false);
  });

  it('never hands out a spare that died while waiting', async () => {
    const pool = new WorkerPool({ env: process.env, workerScript: script });
    pool.warm();
    const spare = pool.sparePid;
    if (spare !== undefined) process.kill(spare, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const taken = pool.take();
    expect(taken.pid).not.toBe(spare);
    expect(taken.connected).toBe(true);
    taken.kill('SIGKILL');
    pool.dispose();
  });
});

describe('WorkerPool with a spare that is not always wanted', () => {
  it('keeps no spare while none is wanted, ends the waiting one on trim, and warms again once wanted', async () => {
    let isWanted = true;
    const pool = new WorkerPool({ env: process.env, workerScript: script, wantsSpare: () => isWanted });
    pool.warm();
    const first = pool.sparePid;
    expect(isAlive(first)).toBe(true);

    // Every slot taken: the spare is memory no turn can use.
    isWanted = false;
    pool.trim();
    expect(pool.sparePid).toBeUndefined();
    await tick();
    expect(isAlive(first)).toBe(false);
    pool.warm();
    expect(pool.sparePid).toBeUndefined();

    // A turn that starts anyway gets a fresh worker, and no spare follows it.
    const taken = pool.take();
    expect(taken.connected).toBe(true);
    await tick();
    expect(pool.sparePid).toBeUndefined();

    isWanted = true;
    pool.warm();
    expect(isAlive(pool.sparePid)).toBe(true);
    taken.kill('SIGKILL');
    pool.dispose();
  });
});
