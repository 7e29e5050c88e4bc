import fs from 'node:fs';
import path from 'node:path';
import { homeExposure } from './homeExposure.js';
import { hostSocketPaths, secretPaths } from './hostSecrets.js';
import { sandboxEnv } from './sandboxEnv.js';
import type { SandboxSpec } from './sandboxSpec.js';
import { SYSTEM_HIDDEN_PATHS, checkWritablePath, isWithin } from './writablePaths.js';
import { canonicalPath, realpathOrNull } from '../util/canonicalPath.js';

/**
 * Namespaces and privileges of every sandbox, shared with the probe so that "available"
 * means exactly what commands will get.
 */
export function isolationArgs(allowNetwork: boolean): string[] {
  return [
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    // Without it the command shares the host's network, loopback services included.
    ...(allowNetwork ? [] : ['--unshare-net']),
    // Kills the whole sandbox when bwrap (or the host that spawned it) dies.
    '--die-with-parent',
    // setsid: no controlling terminal, so TIOCSTI cannot push keystrokes into the host's tty.
    '--new-session',
    '--cap-drop',
    'ALL',
  ];
}

/** The host root read-only, a minimal /dev, our own /proc, and a private writable /tmp. */
export const BASE_MOUNT_ARGS: readonly string[] = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
/** What BASE_MOUNT_ARGS replaces with something private (nothing of the host shows through). */
const BASE_PRIVATE = ['/dev', '/proc', '/tmp'];

/** Shown again read-only inside the hidden system dirs: NixOS keeps its whole system profile there. */
const SYSTEM_KEPT = ['/run/current-system'];

type Mount =
  | { kind: 'hide'; path: string; isDir: boolean }
  /** `source`: bound from elsewhere (a mirror into the task's HOME); default the same path. */
  | { kind: 'read-only'; path: string; source?: string }
  | { kind: 'writable'; path: string };

/** When one path is asked for twice, the stricter wish wins. */
const STRICTNESS: Record<Mount['kind'], number> = { writable: 0, 'read-only': 1, hide: 2 };

export interface BwrapArgsOptions {
  /** Hidden as well (FLOTILLA_HOME, the other worktrees' root); the spec's own paths stay visible. */
  hiddenPaths?: string[];
  /** Where the real home, the env allowlist and the agent sockets come from; default process.env. */
  hostEnv?: NodeJS.ProcessEnv;
  /**
   * Caps the command's processes with `ulimit -u` set inside the sandbox's user namespace
   * (see processLimit.ts: works for a non-root host user only). Unset: no rlimit.
   */
  maxProcesses?: number;
  /**
   * The command runs on a pty of its own (an interactive terminal): keep it in bwrap's session
   * so the shell has that pty as its controlling terminal (job control, Ctrl-C). Safe because
   * nothing outside the sandbox reads from that pty's input: TIOCSTI can only reach the
   * sandbox itself. Never set it for commands that share the host's terminal.
   */
  hasOwnTerminal?: boolean;
}

/**
 * The argv (without the bwrap binary) that runs `command` under `spec`. Pure apart from
 * looking at which paths exist on the host.
 *
 * Mount order is what makes it safe: bwrap applies mounts in argv order, so they are sorted
 * shallowest first and the deepest mount of a path wins. Hiding FLOTILLA_HOME (a tmpfs) and
 * then binding this task's worktree and home inside it keeps exactly those two visible;
 * binding the worktree writable and then its `.git` pointer read-only protects the pointer.
 */
export function bwrapArgs(spec: SandboxSpec, command: string, opts: BwrapArgsOptions = {}): string[] {
  const hostEnv = opts.hostEnv ?? process.env;
  const mode = spec.mode;
  // A host bug: full access means no bwrap at all (runSandboxed runs the command directly).
  if (mode === 'full-access') throw new Error('bwrapArgs: a full-access spec runs without a sandbox');
  assertUsable(spec.worktreePath, 'worktreePath');
  assertUsable(spec.homeDir, 'homeDir');
  // Real paths: binds resolve symlinks anyway, and the mount sort must see the paths bwrap does.
  const worktree = canonicalPath(spec.worktreePath);
  const extraWritable = checkedExtraWritablePaths(spec, hostEnv, opts.hiddenPaths ?? []);

  const wanted = new Map<string, Mount>();
  const want = (mount: Mount) => {
    if (mount.path === '/') return; // the root is already read-only; hiding it would hide everything
    const existing = wanted.get(mount.path);
    if (!existing || STRICTNESS[mount.kind] > STRICTNESS[existing.kind]) wanted.set(mount.path, mount);
  };
  want({ kind: mode === 'read-only' ? 'read-only' : 'writable', path: worktree });
  want({ kind: 'writable', path: canonicalPath(spec.homeDir) });
  for (const p of extraWritable) want({ kind: 'writable', path: p });
  for (const p of existing(spec.readOnlyPaths)) want({ kind: 'read-only', path: p });
  // The real home, hidden whole; its toolchains on PATH and the repo's allowlist shown again.
  const home = homeExposure({ hostEnv, allowlisted: spec.homeReadOnlyPaths ?? [], taskHome: canonicalPath(spec.homeDir) });
  for (const p of home.hidden) want({ kind: 'hide', path: p, isDir: true });
  for (const p of home.shown) want({ kind: 'read-only', path: p });
  for (const [source, destination] of home.mirrored) if (canMirror(source, destination)) want({ kind: 'read-only', path: destination, source });
  const systemHidden = existing(SYSTEM_HIDDEN_PATHS);
  const hidden = [...systemHidden, ...existing([...secretPaths(hostEnv), ...hostSocketPaths(hostEnv), ...(opts.hiddenPaths ?? [])])];
  for (const p of hidden) want({ kind: 'hide', path: p, isDir: fs.statSync(p).isDirectory() });
  const kept = existing([...SYSTEM_KEPT, ...(spec.allowNetwork ? ['/etc/resolv.conf'] : [])]);
  for (const p of kept) if (systemHidden.some((dir) => isWithin(p, dir))) want({ kind: 'read-only', path: p });
  // Host sockets the user allowlisted (the seccomp filter then lets commands create unix
  // sockets): each bound read-only at its own path, which still allows connect(), even inside a
  // hidden dir (/run). Set, not want(): the user's explicit choice beats the hiding of that same
  // path as an advertised socket (DOCKER_HOST, SSH_AUTH_SOCK). Sockets only: a folder or file in
  // the list shows nothing more of the host.
  for (const p of existing(spec.unixSockets ?? [])) if (fs.statSync(p).isSocket()) wanted.set(p, { kind: 'read-only', path: p });

  const isolation = isolationArgs(spec.allowNetwork).filter((arg) => !(opts.hasOwnTerminal && arg === '--new-session'));
  const args = [...isolation, ...BASE_MOUNT_ARGS];
  const placed: { path: string; isPrivate: boolean }[] = BASE_PRIVATE.map((p) => ({ path: p, isPrivate: true }));
  const remountReadOnly: string[] = [];
  for (const mount of [...wanted.values()].sort((a, b) => depth(a.path) - depth(b.path))) {
    const parent = nearestPlaced(placed, mount.path);
    if (mount.kind === 'hide') {
      // Already inside something private (our /tmp, another hidden dir): nothing to cover.
      if (parent?.isPrivate) continue;
      if (mount.isDir) {
        args.push('--tmpfs', mount.path);
        // Read-only only at the end: binds placed inside it first need their mount points made.
        remountReadOnly.push(mount.path);
      } else {
        args.push('--ro-bind', '/dev/null', mount.path);
      }
      placed.push({ path: mount.path, isPrivate: true });
    } else {
      const source = mount.kind === 'read-only' ? (mount.source ?? mount.path) : mount.path;
      args.push(mount.kind === 'writable' ? '--bind' : '--ro-bind', source, mount.path);
      placed.push({ path: mount.path, isPrivate: false });
    }
  }
  // Not recursive: the worktree and home bound inside a hidden dir stay writable.
  for (const p of remountReadOnly) args.push('--remount-ro', p);

  args.push('--chdir', worktree, '--clearenv');
  const env = sandboxEnv(hostEnv, spec);
  for (const name of Object.keys(env).sort()) args.push('--setenv', name, env[name] ?? '');
  const shell = fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
  if (opts.maxProcesses !== undefined) {
    // Set by a first shell, inside the new user namespace, then the command's own shell
    // replaces it. Lowering a hard limit is final: the command cannot raise it back.
    const limit = Math.max(1, Math.floor(opts.maxProcesses));
    const flag = shell === '/bin/bash' ? '-u' : '-p'; // dash calls it -p
    args.push('--', shell, '-c', `ulimit ${flag} ${limit} || exit 125; exec "$0" -c -- "$1"`, shell, command);
    return args;
  }
  // `-c --`: a command starting with '-' is still a command, not shell options.
  args.push('--', shell, '-c', '--', command);
  return args;
}

/** The user's approved writable paths, canonical; a vanished one is skipped, a dangerous one throws. */
function checkedExtraWritablePaths(spec: SandboxSpec, hostEnv: NodeJS.ProcessEnv, hiddenPaths: readonly string[]): string[] {
  const paths: string[] = [];
  for (const p of spec.extraWritablePaths) {
    const checked = checkWritablePath(p, { hostEnv, hiddenPaths, readOnlyPaths: spec.readOnlyPaths });
    if (checked.ok) paths.push(checked.path);
    else if (checked.kind !== 'not_found') throw new Error(`sandbox extraWritablePaths: ${checked.message}`);
  }
  return paths;
}

/**
 * Whether `source` can be shown at `destination` (inside the task's HOME, which commands
 * write): only where nothing is, or the same kind of thing (a file over a file, a folder over
 * a folder). A link or a folder the agent left where a file must go would make bwrap fail and
 * no command start; then the path is shown at its own place only.
 */
function canMirror(source: string, destination: string): boolean {
  const there = fs.lstatSync(destination, { throwIfNoEntry: false });
  if (!there) return true;
  if (there.isSymbolicLink()) return false;
  const isDir = fs.statSync(source).isDirectory();
  return isDir ? there.isDirectory() : there.isFile();
}

function assertUsable(p: string, name: string): void {
  // A bug in the host, not an expected failure: a relative path or '/' would widen the sandbox.
  if (!path.isAbsolute(p)) throw new Error(`sandbox ${name} must be absolute: ${p}`);
  if (path.resolve(p) === '/') throw new Error(`sandbox ${name} cannot be the root directory`);
}

/** Absolute paths that exist, canonical and deduplicated; the rest are skipped. */
function existing(paths: readonly string[]): string[] {
  const found = new Set<string>();
  for (const p of paths) {
    if (!path.isAbsolute(p)) continue;
    // Missing (or a dangling symlink): nothing to mount there.
    const real = realpathOrNull(p);
    if (real !== null) found.add(real);
  }
  return [...found];
}

function depth(p: string): number {
  return p.split('/').filter(Boolean).length;
}

function nearestPlaced<T extends { path: string }>(placed: T[], p: string): T | undefined {
  let best: T | undefined;
  for (const candidate of placed) {
    if (candidate.path !== p && isWithin(p, candidate.path) && (!best || candidate.path.length > best.path.length)) best = candidate;
  }
  return best;
}
