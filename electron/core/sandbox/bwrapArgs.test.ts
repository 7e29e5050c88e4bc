import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bwrapArgs } from './bwrapArgs.js';
import type { SandboxSpec } from './sandboxSpec.js';

let root: string;
let flotillaHome: string;
let worktree: string;
let homeDir: string;
let userHome: string;

beforeEach(() => {
  // realpath: bwrapArgs canonicalizes, and os.tmpdir() may sit behind a symlink.
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bwrapargs-')));
  flotillaHome = path.join(root, 'flotilla home');
  worktree = path.join(flotillaHome, 'worktrees', 'repo1', 'task é');
  homeDir = path.join(flotillaHome, 'task-homes', 't1');
  userHome = path.join(root, 'user');
  for (const dir of [worktree, homeDir, path.join(userHome, '.ssh'), path.join(userHome, '.config', 'gh')]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(worktree, '.git'), 'gitdir: /somewhere\n');
  fs.writeFileSync(path.join(userHome, '.netrc'), 'machine x password y\n');
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function spec(overrides: Partial<SandboxSpec> = {}): SandboxSpec {
  // The test root stands in for the host's visible filesystem: /tmp itself is private in the sandbox.
  return {
    mode: 'workspace-write',
    worktreePath: worktree,
    readOnlyPaths: [root, path.join(worktree, '.git')],
    extraWritablePaths: [],
    homeDir,
    allowNetwork: false,
    ...overrides,
  };
}

const hostEnv = () => ({ HOME: userHome, PATH: '/usr/bin:/bin' });

/** Index of the first mount op `flag a b` (or `flag a`) in argv; -1 when absent. */
function indexOfOp(args: string[], ...op: string[]): number {
  for (let i = 0; i + op.length <= args.length; i++) if (op.every((part, j) => args[i + j] === part)) return i;
  return -1;
}

function beforeSeparator(args: string[]): string[] {
  return args.slice(0, args.indexOf('--'));
}

describe('bwrapArgs', () => {
  it('isolates namespaces and privileges, cuts the network, and runs the command through a shell', () => {
    const args = bwrapArgs(spec(), 'echo hi', { hostEnv: hostEnv() });
    const options = beforeSeparator(args);
    for (const flag of ['--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--unshare-net', '--die-with-parent', '--new-session']) {
      expect(options).toContain(flag);
    }
    expect(indexOfOp(options, '--cap-drop', 'ALL')).toBeGreaterThanOrEqual(0);
    expect(indexOfOp(options, '--chdir', worktree)).toBeGreaterThanOrEqual(0);
    const shell = fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
    expect(args.slice(args.indexOf('--'))).toEqual(['--', shell, '-c', '--', 'echo hi']);
  });

  it('stays in the session only for a command on a pty of its own (interactive terminals)', () => {
    expect(bwrapArgs(spec(), 'bash -i', { hostEnv: { HOME: userHome }, hasOwnTerminal: true })).not.toContain('--new-session');
    expect(bwrapArgs(spec(), 'bash -i', { hostEnv: { HOME: userHome } })).toContain('--new-session');
  });

  it('keeps the network only when the spec allows it', () => {
    expect(bwrapArgs(spec({ allowNetwork: true }), 'true', { hostEnv: hostEnv() })).not.toContain('--unshare-net');
  });

  it('mounts a read-only root, private /dev, /proc and /tmp before anything else', () => {
    const args = bwrapArgs(spec(), 'true', { hostEnv: hostEnv() });
    const rootAt = indexOfOp(args, '--ro-bind', '/', '/');
    expect(rootAt).toBeGreaterThanOrEqual(0);
    expect(args.slice(rootAt, rootAt + 9)).toEqual(['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp']);
    expect(indexOfOp(args, '--bind', worktree, worktree)).toBeGreaterThan(rootAt);
  });

  it('binds the worktree and home writable inside a hidden FLOTILLA_HOME, and the .git pointer read-only after the worktree', () => {
    const args = bwrapArgs(spec(), 'true', { hostEnv: hostEnv(), hiddenPaths: [flotillaHome] });
    const exposeRoot = indexOfOp(args, '--ro-bind', root, root);
    const hideHome = indexOfOp(args, '--tmpfs', flotillaHome);
    const bindWorktree = indexOfOp(args, '--bind', worktree, worktree);
    const bindHome = indexOfOp(args, '--bind', homeDir, homeDir);
    const pointer = path.join(worktree, '.git');
    const protectPointer = indexOfOp(args, '--ro-bind', pointer, pointer);
    const remount = indexOfOp(args, '--remount-ro', flotillaHome);
    expect(exposeRoot).toBeGreaterThanOrEqual(0);
    expect(hideHome).toBeGreaterThan(exposeRoot);
    expect(bindWorktree).toBeGreaterThan(hideHome);
    expect(bindHome).toBeGreaterThan(hideHome);
    expect(protectPointer).toBeGreaterThan(bindWorktree);
    // The hiding tmpfs turns read-only only after the binds inside it got their mount points.
    expect(remount).toBeGreaterThan(Math.max(bindWorktree, bindHome, protectPointer));
  });

  it("hides the real user's home under a read-only tmpfs, and nothing inside it needs hiding again", () => {
    const args = bwrapArgs(spec(), 'true', { hostEnv: hostEnv() });
    expect(indexOfOp(args, '--tmpfs', userHome)).toBeGreaterThan(indexOfOp(args, '--ro-bind', root, root));
    expect(indexOfOp(args, '--remount-ro', userHome)).toBeGreaterThan(indexOfOp(args, '--tmpfs', userHome));
    expect(indexOfOp(args, '--tmpfs', path.join(userHome, '.ssh'))).toBe(-1);
  });

  it("shows its toolchains on PATH read-only, and hides credentials (dirs under a tmpfs, files under /dev/null) inside what is shown", () => {
    const tool = path.join(userHome, '.nvm', 'versions', 'node', 'v20', 'bin');
    fs.mkdirSync(tool, { recursive: true });
    fs.writeFileSync(path.join(userHome, '.gitconfig'), '[user]\n');
    const args = bwrapArgs(spec({ homeReadOnlyPaths: [path.join(userHome, '.gitconfig'), path.join(userHome, '.config')] }), 'true', {
      hostEnv: { HOME: userHome, PATH: `${tool}:/usr/bin` },
    });
    const nodeRoot = path.join(userHome, '.nvm', 'versions', 'node', 'v20');
    expect(indexOfOp(args, '--ro-bind', nodeRoot, nodeRoot)).toBeGreaterThan(indexOfOp(args, '--tmpfs', userHome));
    // Allowlisted: at its own place and, mirrored, where tools look for it under the task HOME.
    const gitconfig = path.join(userHome, '.gitconfig');
    expect(indexOfOp(args, '--ro-bind', gitconfig, gitconfig)).toBeGreaterThan(indexOfOp(args, '--tmpfs', userHome));
    expect(indexOfOp(args, '--ro-bind', gitconfig, path.join(homeDir, '.gitconfig'))).toBeGreaterThan(indexOfOp(args, '--bind', homeDir, homeDir));
    // ~/.config is shown, ~/.config/gh inside it hidden again; ~/.netrc (not shown) needs nothing.
    const config = path.join(userHome, '.config');
    expect(indexOfOp(args, '--tmpfs', path.join(config, 'gh'))).toBeGreaterThan(indexOfOp(args, '--ro-bind', config, config));
    expect(indexOfOp(args, '--ro-bind', '/dev/null', path.join(userHome, '.netrc'))).toBe(-1);
  });

  it('does not mirror an allowlisted path where the task HOME holds something else (a link, a folder for a file)', () => {
    fs.writeFileSync(path.join(userHome, '.gitconfig'), '[user]\n');
    fs.mkdirSync(path.join(homeDir, '.gitconfig'));
    const args = bwrapArgs(spec({ homeReadOnlyPaths: [path.join(userHome, '.gitconfig')] }), 'true', { hostEnv: hostEnv() });
    expect(args).not.toContain(path.join(homeDir, '.gitconfig'));
    expect(indexOfOp(args, '--ro-bind', path.join(userHome, '.gitconfig'), path.join(userHome, '.gitconfig'))).toBeGreaterThan(0);
  });

  it('covers an agent socket advertised by the host environment', () => {
    const socketPath = path.join(root, 'agent.sock');
    fs.writeFileSync(socketPath, '');
    const args = bwrapArgs(spec(), 'true', { hostEnv: { ...hostEnv(), SSH_AUTH_SOCK: socketPath } });
    expect(indexOfOp(args, '--ro-bind', '/dev/null', socketPath)).toBeGreaterThan(indexOfOp(args, '--ro-bind', root, root));
  });

  it('skips hiding what the private /tmp already covers, and read-only paths that do not exist', () => {
    const missing = path.join(worktree, 'no-such-file');
    const args = bwrapArgs(spec({ readOnlyPaths: [missing] }), 'true', { hostEnv: hostEnv(), hiddenPaths: [flotillaHome] });
    expect(args).not.toContain(missing);
    // Without the test root exposed, everything here lives in the host's /tmp, which the sandbox never sees.
    expect(indexOfOp(args, '--tmpfs', flotillaHome)).toBe(-1);
    expect(indexOfOp(args, '--tmpfs', path.join(userHome, '.ssh'))).toBe(-1);
    expect(indexOfOp(args, '--bind', worktree, worktree)).toBeGreaterThanOrEqual(0);
  });

  it('lets the stricter wish win when one path is asked for twice', () => {
    const args = bwrapArgs(spec({ readOnlyPaths: [root, worktree] }), 'true', { hostEnv: hostEnv() });
    expect(indexOfOp(args, '--ro-bind', worktree, worktree)).toBeGreaterThanOrEqual(0);
    expect(indexOfOp(args, '--bind', worktree, worktree)).toBe(-1);
  });

  it('clears the environment and sets only the allowlist', () => {
    const args = bwrapArgs(spec(), 'true', {
      hostEnv: { ...hostEnv(), OPENAI_API_KEY: 'sk-secret', GH_TOKEN: 'ghp_secret', LANG: 'C.UTF-8' },
    });
    const options = beforeSeparator(args);
    const clearAt = options.indexOf('--clearenv');
    expect(clearAt).toBeGreaterThanOrEqual(0);
    const names = options.flatMap((arg, i) => (arg === '--setenv' ? [options[i + 1]] : []));
    expect(names.sort()).toEqual(['HOME', 'LANG', 'PATH', 'TERM', 'TMPDIR']);
    expect(options.indexOf('--setenv')).toBeGreaterThan(clearAt);
    expect(args.join('\n')).not.toContain('secret');
  });

  it('passes the command as one argument, even when it starts with a dash', () => {
    const command = `-x'; rm -rf "$HOME" #`;
    expect(bwrapArgs(spec(), command, { hostEnv: hostEnv() }).at(-1)).toBe(command);
  });

  it('read-only mode binds the worktree read-only, and keeps HOME writable', () => {
    const args = bwrapArgs(spec({ mode: 'read-only' }), 'true', { hostEnv: hostEnv() });
    expect(indexOfOp(args, '--ro-bind', worktree, worktree)).toBeGreaterThanOrEqual(0);
    expect(indexOfOp(args, '--bind', worktree, worktree)).toBe(-1);
    expect(indexOfOp(args, '--bind', homeDir, homeDir)).toBeGreaterThanOrEqual(0);
  });

  it('refuses to build bwrap arguments for full access, which runs without bwrap', () => {
    expect(() => bwrapArgs(spec({ mode: 'full-access' }), 'true', { hostEnv: hostEnv() })).toThrow(/full-access/);
  });

  it('binds approved extra paths writable, canonical, and skips vanished ones', () => {
    const extra = path.join(root, 'shared cache');
    fs.mkdirSync(extra);
    const link = path.join(root, 'cache-link');
    fs.symlinkSync(extra, link);
    const args = bwrapArgs(spec({ readOnlyPaths: [path.join(worktree, '.git')], extraWritablePaths: [link, path.join(root, 'gone')] }), 'true', {
      hostEnv: hostEnv(),
    });
    expect(indexOfOp(args, '--bind', extra, extra)).toBeGreaterThanOrEqual(0);
    expect(args).not.toContain(link);
    expect(args).not.toContain(path.join(root, 'gone'));
  });

  it('throws on an extra writable path that would widen the sandbox past its rules', () => {
    const build = (extraWritablePaths: string[], readOnlyPaths = [path.join(worktree, '.git')]) => () =>
      bwrapArgs(spec({ readOnlyPaths, extraWritablePaths }), 'true', { hostEnv: hostEnv(), hiddenPaths: [flotillaHome] });
    expect(build(['/'])).toThrow(/root/);
    expect(build(['relative/dir'])).toThrow(/absolute/);
    expect(build([userHome])).toThrow(/\.ssh/); // the real home holds the credentials
    expect(build([root])).toThrow(/overlaps/); // a parent of FLOTILLA_HOME
    expect(build([path.join(flotillaHome, 'worktrees')])).toThrow(/overlaps/); // other tasks' worktrees
    const gitDir = path.join(root, 'repo', '.git');
    fs.mkdirSync(path.join(gitDir, 'hooks'), { recursive: true });
    expect(build([path.join(gitDir, 'hooks')], [gitDir])).toThrow(/read-only/);
  });

  it('caps processes with ulimit inside the sandbox when asked, still passing the command as one argument', () => {
    const command = `-x'; echo "$0 $1"`;
    const args = bwrapArgs(spec(), command, { hostEnv: hostEnv(), maxProcesses: 64 });
    const tail = args.slice(args.indexOf('--'));
    const shell = fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
    expect(tail).toEqual(['--', shell, '-c', `ulimit ${shell === '/bin/bash' ? '-u' : '-p'} 64 || exit 125; exec "$0" -c -- "$1"`, shell, command]);
  });

  it('refuses relative paths and the root directory (a host bug that would widen the sandbox)', () => {
    expect(() => bwrapArgs(spec({ worktreePath: 'relative/wt' }), 'true', { hostEnv: hostEnv() })).toThrow(/absolute/);
    expect(() => bwrapArgs(spec({ homeDir: '/' }), 'true', { hostEnv: hostEnv() })).toThrow(/root/);
  });
});
