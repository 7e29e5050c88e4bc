import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PTY_HOST_CRASHED, PtyHostSupervisor, type PtyEndpoint } from './ptyHostSupervisor.js';
import type { TerminalExit } from './terminalSession.js';
import { isAlive, tempDir, testEnv, waitFor } from './testTerminals.js';

/** A real pty host process, killed under the supervisor the way a crash would end it. */
let supervisor: PtyHostSupervisor | null = null;
afterEach(() => supervisor?.dispose());

function endpoint(): PtyEndpoint & { exit: TerminalExit | null } {
  const state: PtyEndpoint & { exit: TerminalExit | null } = {
    exit: null,
    handleData: () => {},
    handleExit: (exit) => (state.exit = exit),
  };
  return state;
}

async function spawnSleep(target: PtyHostSupervisor) {
  const pty = endpoint();
  const spawned = await target.spawn(randomUUID(), { cwd: tempDir(), argv: ['sleep', '30'], env: testEnv(), cols: 80, rows: 24 }, () => pty);
  expect(spawned.ok).toBe(true);
  return pty;
}

describe('PtyHostSupervisor after a crash', () => {
  it('ends the dead host’s ptys with the reason and restarts the pty host at once, before any new terminal', async () => {
    const crashes: Array<{ reason: string; isRestarted: boolean }> = [];
    supervisor = new PtyHostSupervisor({ spawnTimeoutMs: 10_000, onDidCrash: (reason, isRestarted) => crashes.push({ reason, isRestarted }) });
    const pty = await spawnSleep(supervisor);
    const first = supervisor.pid ?? 0;

    process.kill(first, 'SIGKILL');
    await waitFor('the crash report', () => crashes.length === 1);
    expect(pty.exit?.reason).toMatch(new RegExp(`^${PTY_HOST_CRASHED} \\(killed by SIGKILL`));
    expect(crashes[0]).toEqual({ reason: expect.stringMatching(/^killed by SIGKILL/), isRestarted: true });
    const second = supervisor.pid;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(isAlive(second ?? 0)).toBe(true);
    // The new one serves terminals.
    await spawnSleep(supervisor);
    expect(supervisor.pid).toBe(second);
  });

  it('stops restarting at once in a crash loop (3 within a minute): the next terminal starts it', async () => {
    const crashes: boolean[] = [];
    supervisor = new PtyHostSupervisor({ spawnTimeoutMs: 10_000, onDidCrash: (_reason, isRestarted) => crashes.push(isRestarted) });
    await spawnSleep(supervisor);
    for (let crash = 1; crash <= 3; crash++) {
      process.kill(supervisor.pid ?? 0, 'SIGKILL');
      await waitFor(`crash ${crash}`, () => crashes.length === crash);
    }
    expect(crashes).toEqual([true, true, false]);
    expect(supervisor.pid).toBeUndefined();
    await spawnSleep(supervisor);
    expect(isAlive(supervisor.pid ?? 0)).toBe(true);
  });
});
