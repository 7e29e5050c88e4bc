import { describe, expect, it } from 'vitest';
import type { CommandResult } from './runSandboxed.js';
import { describeSandboxDenial } from './sandboxDenial.js';
import type { SandboxSpec } from './sandboxSpec.js';

const spec: SandboxSpec = {
  mode: 'workspace-write',
  worktreePath: '/data/worktrees/repo/task',
  readOnlyPaths: ['/data/worktrees/repo/task/.git', '/home/me/src/repo/.git', '/home/me/src/repo/.git/worktrees/task'],
  extraWritablePaths: ['/var/cache/approved'],
  homeDir: '/data/task-homes/t1',
  allowNetwork: false,
};

const result = (output: string, exitCode: number | null = 1): CommandResult => ({ exitCode, isKilled: false, output, isTruncated: false, durationMs: 5 });
const OUTSIDE = '[sandbox: writes outside the worktree are blocked; ask for approval with a reason if you need this]';
const GIT = '[sandbox: the git metadata (.git) is read-only; the app commits your changes after each turn]';

describe('describeSandboxDenial', () => {
  it.each<[string, string, string | null]>([
    ['python EROFS', "OSError: [Errno 30] Read-only file system: '/usr/lib/x'", OUTSIDE],
    ['node EROFS', "Error: EROFS: read-only file system, open '/etc/hosts'", OUTSIDE],
    ['mkdir with typographic quotes', 'mkdir: cannot create directory ‘/opt/x’: Read-only file system', OUTSIDE],
    ['EACCES outside the writable set', "cp: cannot create regular file '/root/x': Permission denied", OUTSIDE],
    ['EACCES in the worktree', 'cat: secret.txt: Permission denied', null],
    ['EACCES in HOME', "touch: cannot touch '/data/task-homes/t1/x': Permission denied", null],
    ['EACCES in an approved path', "touch: cannot touch '/var/cache/approved/x': Permission denied", null],
    ['EACCES without a path', 'ssh: Permission denied (publickey).', null],
    ['the .git pointer is busy', "rm: cannot remove '.git': Device or resource busy", GIT],
    ['a lock in the common dir', "fatal: Unable to create '/home/me/src/repo/.git/worktrees/task/index.lock': Read-only file system", GIT],
    ['a busy path that is not git', "umount: /mnt: target is busy; rm: cannot remove '/mnt': Device or resource busy", null],
    ['EROFS without a path', 'write error: Read-only file system', OUTSIDE],
    ['EPERM', "chroot: cannot change root directory to '/': Operation not permitted", '[sandbox: the operation is not permitted in the sandbox (no root privileges, mounts, clock or devices)]'],
    ['npm offline', 'npm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org', '[sandbox: this task has no network access; ask for approval with a reason if you need it]'],
    ['pip offline', "Failed to establish a new connection: [Errno -3] Temporary failure in name resolution", '[sandbox: this task has no network access; ask for approval with a reason if you need it]'],
    ['success', 'all good\n', null],
  ])('%s', (_name, output, note) => {
    expect(describeSandboxDenial(result(output), spec)).toBe(note);
  });

  it('network errors are the network being off only when it is off', () => {
    const output = 'curl: (7) Failed to connect to 127.0.0.1 port 3000: Connection refused';
    expect(describeSandboxDenial(result(output), spec)).toMatch(/no network access/);
    expect(describeSandboxDenial(result(output), { ...spec, allowNetwork: true })).toBeNull();
  });

  it('read-only mode: writes anywhere, the worktree included, are the mode', () => {
    const readOnly: SandboxSpec = { ...spec, mode: 'read-only' };
    const note = '[sandbox: this task is read-only: no file can be written, the worktree included; ask for approval with a reason if you need to write]';
    expect(describeSandboxDenial(result('bash: line 1: out.txt: Read-only file system'), readOnly)).toBe(note);
    expect(describeSandboxDenial(result("touch: cannot touch '/etc/x': Read-only file system"), readOnly)).toBe(note);
  });

  it('full access has no sandbox to blame', () => {
    expect(describeSandboxDenial(result("touch: cannot touch '/etc/x': Read-only file system"), { ...spec, mode: 'full-access' })).toBeNull();
  });

  it('with approval "never" the note says there is no way to ask', () => {
    expect(describeSandboxDenial(result('curl: (6) Could not resolve host: x.org'), spec, { approval: 'never' })).toBe(
      '[sandbox: this task has no network access; this task allows no escalation, so find another way]',
    );
  });
});
