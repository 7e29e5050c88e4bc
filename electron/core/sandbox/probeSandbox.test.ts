import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MISSING_BWRAP_REASON, defaultBwrapPath, probeSandbox } from './probeSandbox.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-probe-'));
  dirs.push(dir);
  return dir;
}

describe('probeSandbox', () => {
  it('finds the installed bubblewrap able to create every namespace', async () => {
    expect(await probeSandbox()).toEqual({ isAvailable: true, reason: null });
    expect(defaultBwrapPath()).toMatch(/\/bwrap$/);
  });

  it('explains how to install bubblewrap when the binary is missing', async () => {
    const missing = path.join(tempDir(), 'bwrap');
    expect(await probeSandbox({ bwrapPath: missing })).toEqual({ isAvailable: false, reason: MISSING_BWRAP_REASON });
  });

  it('reports the first line bwrap printed, with a fix, when namespaces are refused', async () => {
    const fake = path.join(tempDir(), 'bwrap');
    fs.writeFileSync(fake, '#!/bin/sh\necho "" >&2\necho "bwrap: setting up uid map: Permission denied" >&2\necho "second line" >&2\nexit 1\n', { mode: 0o755 });
    const status = await probeSandbox({ bwrapPath: fake });
    expect(status.isAvailable).toBe(false);
    expect(status.reason).toMatch(/^sandbox unavailable: bubblewrap could not create namespaces: bwrap: setting up uid map: Permission denied; .*user namespaces/);
    expect(status.reason).not.toContain('second line');
  });

  it('is unavailable outside Linux for now', async () => {
    const status = await probeSandbox({ platform: 'darwin' });
    expect(status.isAvailable).toBe(false);
    expect(status.reason).toMatch(/^sandbox unavailable: .*Linux/);
  });

  it('caches success per path, but probes again after a failure (the user may install it meanwhile)', async () => {
    const candidate = path.join(tempDir(), 'bwrap');
    expect((await probeSandbox({ bwrapPath: candidate })).isAvailable).toBe(false);
    fs.symlinkSync(defaultBwrapPath(), candidate);
    expect((await probeSandbox({ bwrapPath: candidate })).isAvailable).toBe(true);
    fs.rmSync(candidate);
    expect((await probeSandbox({ bwrapPath: candidate })).isAvailable).toBe(true);
  });
});
