import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MISSING_BWRAP_REASON, defaultBwrapPath, probeSandbox } from './probeSandbox.js';
import { seccompFilterBytes, seccompUnsupportedReason } from './seccompFilter.js';

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

  it('hands bwrap the strict seccomp filter on fd 3, as every command gets it', async (ctx) => {
    const noSeccomp = seccompUnsupportedReason();
    if (noSeccomp !== null) ctx.skip(noSeccomp);
    // A stand-in that records its argv and what it reads on fd 3.
    const dir = tempDir();
    const fake = path.join(dir, 'bwrap');
    fs.writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${dir}/argv'\ncat <&3 > '${dir}/filter'\n`, { mode: 0o755 });
    expect(await probeSandbox({ bwrapPath: fake })).toEqual({ isAvailable: true, reason: null });
    const argv = fs.readFileSync(path.join(dir, 'argv'), 'utf8').split('\n');
    expect(argv.slice(0, 2)).toEqual(['--seccomp', '3']);
    expect(argv).toContain('--unshare-net');
    expect(fs.readFileSync(path.join(dir, 'filter')).equals(seccompFilterBytes())).toBe(true);
  });

  it('is unavailable, with the reason and a fix, when the kernel refuses the seccomp filter (never a run without it)', async () => {
    const fake = path.join(tempDir(), 'bwrap');
    const refusal =
      'bwrap: Unable to set up system call filtering as requested: prctl(PR_SET_SECCOMP) reported EINVAL. (Hint: this requires a kernel configured with CONFIG_SECCOMP and CONFIG_SECCOMP_FILTER.)';
    fs.writeFileSync(fake, `#!/bin/sh\necho '${refusal}' >&2\nexit 1\n`, { mode: 0o755 });
    const status = await probeSandbox({ bwrapPath: fake });
    expect(status.isAvailable).toBe(false);
    expect(status.reason).toBe(
      `sandbox unavailable: the kernel refused the seccomp filter: ${refusal}; commands never run without the filter that keeps them ` +
        'from host unix sockets: use a kernel built with CONFIG_SECCOMP_FILTER (every mainstream distribution kernel is), or, in a ' +
        'container, a runtime that lets processes install seccomp filters',
    );
  });

  it('is unavailable on a CPU architecture the seccomp filter does not cover, before starting anything', async () => {
    const status = await probeSandbox({ arch: 'riscv64' });
    expect(status.isAvailable).toBe(false);
    expect(status.reason).toMatch(/^sandbox unavailable: no seccomp filter for this CPU architecture \(riscv64; supported: x64, arm64\)/);
  });

  it('on macOS probes sandbox-exec with a deny-by-default profile, and says when it is missing', async () => {
    const missing = path.join(tempDir(), 'sandbox-exec');
    expect(await probeSandbox({ platform: 'darwin', sandboxExecPath: missing })).toEqual({
      isAvailable: false,
      reason: `sandbox unavailable: ${missing} is missing (it ships with macOS)`,
    });
    // A stand-in that records its argv: the probe must hand it a deny-default profile and a program.
    const dir = tempDir();
    const fake = path.join(dir, 'sandbox-exec');
    fs.writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${dir}/argv'\n`, { mode: 0o755 });
    expect(await probeSandbox({ platform: 'darwin', sandboxExecPath: fake })).toEqual({ isAvailable: true, reason: null });
    const argv = fs.readFileSync(path.join(dir, 'argv'), 'utf8').split('\n');
    expect(argv[0]).toBe('-p');
    expect(argv[1]).toMatch(/^\(version 1\)\(deny default\)/);
    expect(argv.slice(2, 4)).toEqual(['--', '/usr/bin/true']);
  });

  it('reports what sandbox-exec printed when it refuses the profile', async () => {
    const fake = path.join(tempDir(), 'sandbox-exec');
    fs.writeFileSync(fake, '#!/bin/sh\necho "sandbox-exec: sandbox_apply: Operation not permitted" >&2\nexit 71\n', { mode: 0o755 });
    expect(await probeSandbox({ platform: 'darwin', sandboxExecPath: fake })).toEqual({
      isAvailable: false,
      reason: 'sandbox unavailable: sandbox-exec refused to start: sandbox-exec: sandbox_apply: Operation not permitted',
    });
  });

  it('is unavailable on other platforms', async () => {
    const status = await probeSandbox({ platform: 'win32' });
    expect(status.isAvailable).toBe(false);
    expect(status.reason).toMatch(/^sandbox unavailable: .*Linux with bubblewrap or macOS \(this is win32\)/);
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
