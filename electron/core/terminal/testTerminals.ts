import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Fixtures for the terminal tests (real ptys, real processes): no vitest here. */

/** Polls `check` every 5 ms until it returns true; rejects after `timeoutMs` with `what` in the message. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What `seq 1 n` prints through a pty: the line discipline turns each \n into \r\n. */
export function seqThroughPty(n: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) lines.push(`${i}\r\n`);
  return lines.join('');
}

/** A minimal, predictable environment for the programs under test. */
export function testEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), TERM: 'xterm-256color', LANG: 'C.UTF-8', PS1: '$ ' };
}

/** A new temp folder; the caller removes it. */
export function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-term-test-')));
}

/** Whether a process still exists (zombies included). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
