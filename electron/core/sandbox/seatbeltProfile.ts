import path from 'node:path';
import { homeExposure } from './homeExposure.js';
import { hostSocketPaths, secretPaths } from './hostSecrets.js';
import type { SandboxSpec } from './sandboxSpec.js';
import { checkWritablePath } from './writablePaths.js';
import { canonicalPath, realpathOrNull } from '../util/canonicalPath.js';

/**
 * macOS: the same SandboxSpec as bwrapArgs, as an argv for `/usr/bin/sandbox-exec`.
 *
 * The profile is deny-by-default, and its text depends only on the shape of the spec (mode,
 * network, how many paths of each kind), never on a path: every path travels as a `-D NAME=…`
 * parameter and the profile only says `(param "NAME")`. A worktree named `")(allow default)(`
 * is therefore just a name. Later rules win in SBPL, which the order below relies on:
 * reads allowed, the real home denied (its toolchains and allowlist shown again), secrets and
 * hidden dirs denied, the task's own dirs allowed again; writes
 * allowed on the writable dirs, then denied again on the git metadata.
 *
 * It cannot run here (Linux CI): tests check the argv and the profile for each policy.
 */
export const SANDBOX_EXEC_PATH = '/usr/bin/sandbox-exec';

export interface SeatbeltOptions {
  /** Hidden as well (FLOTILLA_HOME, the other worktrees' root); the spec's own paths stay visible. */
  hiddenPaths?: string[];
  /** Where the real home and the agent sockets come from; default process.env. */
  hostEnv?: NodeJS.ProcessEnv;
  /** The command's private, writable temp dir (TMPDIR); default `<homeDir>/tmp`. */
  tmpDir?: string;
}

/** What the profile text is made from: the shape of a spec, with no path in it. */
export interface SeatbeltShape {
  mode: 'read-only' | 'workspace-write';
  allowNetwork: boolean;
  readOnlyCount: number;
  secretCount: number;
  hiddenCount: number;
  /** The user's real homes: denied whole. */
  realHomeCount: number;
  /** Paths under them shown again (toolchains on PATH, the repo's allowlist). */
  shownCount: number;
  writableCount: number;
  /** Host unix sockets the user allowlisted (SandboxSpec.unixSockets). */
  socketCount: number;
}

/** The private temp dir a command gets on macOS (also its TMPDIR). */
export function seatbeltTmpDir(spec: SandboxSpec, opts: SeatbeltOptions = {}): string {
  return opts.tmpDir ?? path.join(spec.homeDir, 'tmp');
}

/** The argv after `sandbox-exec` that runs `command` under `spec`: `-p <profile> -D … -- /bin/bash -c -- <command>`. */
export function seatbeltArgs(spec: SandboxSpec, command: string, opts: SeatbeltOptions = {}): string[] {
  const mode = spec.mode;
  if (mode === 'full-access') throw new Error('seatbeltArgs: a full-access spec runs without a sandbox');
  const hostEnv = opts.hostEnv ?? process.env;
  for (const [name, p] of [
    ['worktreePath', spec.worktreePath],
    ['homeDir', spec.homeDir],
  ] as const) {
    // A host bug, not an expected failure: a relative path or '/' would widen the sandbox.
    if (!path.isAbsolute(p)) throw new Error(`sandbox ${name} must be absolute: ${p}`);
    if (path.resolve(p) === '/') throw new Error(`sandbox ${name} cannot be the root directory`);
  }

  const writable: string[] = [];
  for (const p of spec.extraWritablePaths) {
    const checked = checkWritablePath(p, { hostEnv, hiddenPaths: opts.hiddenPaths, readOnlyPaths: spec.readOnlyPaths });
    if (checked.ok) writable.push(checked.path);
    else if (checked.kind !== 'not_found') throw new Error(`sandbox extraWritablePaths: ${checked.message}`);
  }
  // Seatbelt matches resolved paths (/tmp is /private/tmp on macOS): canonical where they exist.
  const readOnly = unique(spec.readOnlyPaths.filter((p) => path.isAbsolute(p)).map(canonicalPath));
  const secrets = unique([...secretPaths(hostEnv), ...hostSocketPaths(hostEnv)].map(canonicalPath));
  const hidden = unique((opts.hiddenPaths ?? []).filter((p) => path.isAbsolute(p)).map(canonicalPath));
  // The real home: no content or listing; its toolchains on PATH and the repo's allowlist shown
  // again (macOS has no bind mounts, so nothing is mirrored under the task's HOME).
  const home = homeExposure({ hostEnv, allowlisted: spec.homeReadOnlyPaths ?? [], taskHome: canonicalPath(spec.homeDir) });
  const sockets = unique((spec.unixSockets ?? []).filter((p) => path.isAbsolute(p)).map(canonicalSocket));

  const params: [string, string][] = [
    ['WORKTREE', canonicalPath(spec.worktreePath)],
    ['HOME_DIR', canonicalPath(spec.homeDir)],
    ['TMP_DIR', canonicalPath(seatbeltTmpDir(spec, opts))],
    ...readOnly.map((p, i): [string, string] => [`RO_${i}`, p]),
    ...secrets.map((p, i): [string, string] => [`SECRET_${i}`, p]),
    ...hidden.map((p, i): [string, string] => [`HIDDEN_${i}`, p]),
    ...home.hidden.map((p, i): [string, string] => [`REAL_HOME_${i}`, p]),
    ...home.shown.map((p, i): [string, string] => [`SHOWN_${i}`, p]),
    ...writable.map((p, i): [string, string] => [`WRITABLE_${i}`, p]),
    ...sockets.map((p, i): [string, string] => [`SOCKET_${i}`, p]),
  ];
  const profile = seatbeltProfile({
    mode,
    allowNetwork: spec.allowNetwork,
    readOnlyCount: readOnly.length,
    secretCount: secrets.length,
    hiddenCount: hidden.length,
    realHomeCount: home.hidden.length,
    shownCount: home.shown.length,
    writableCount: writable.length,
    socketCount: sockets.length,
  });
  // `-c --`: a command starting with '-' is still a command, not shell options.
  return ['-p', profile, ...params.flatMap(([name, value]) => ['-D', `${name}=${value}`]), '--', '/bin/bash', '-c', '--', command];
}

/** The SBPL profile for a spec of this shape. Pure; contains parameter names, never paths. */
export function seatbeltProfile(shape: SeatbeltShape): string {
  const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}_${i}`);
  const subpaths = (params: string[]) => params.map((name) => `(subpath (param "${name}"))`).join(' ');
  const own = ['WORKTREE', 'HOME_DIR', 'TMP_DIR', ...names('WRITABLE', shape.writableCount)];
  const writable = [...(shape.mode === 'workspace-write' ? ['WORKTREE'] : []), 'HOME_DIR', 'TMP_DIR', ...names('WRITABLE', shape.writableCount)];

  const lines = [
    '(version 1)',
    '(deny default)',
    '',
    '; Run programs, fork, and signal only what runs in this same sandbox.',
    '(allow process-exec)',
    '(allow process-fork)',
    '(allow signal (target same-sandbox))',
    '(allow process-info* (target same-sandbox))',
    '(allow sysctl-read)',
    '(allow user-preference-read)',
    '',
    '; Terminals and the harmless devices.',
    '(allow pseudo-tty)',
    '(allow file-read* file-write* file-ioctl (literal "/dev/ptmx") (literal "/dev/tty") (regex #"^/dev/ttys[0-9]+$"))',
    '(allow file-write* (literal "/dev/null") (literal "/dev/zero") (literal "/dev/dtracehelper") (regex #"^/dev/fd/[0-9]+$"))',
    '',
    '; System services a shell and a compiler need: user and group lookups, logging, notifications.',
    // Never LaunchServices or Apple Events: `open` would start apps outside the sandbox.
    '(allow mach-lookup (global-name "com.apple.system.opendirectoryd.libinfo") (global-name "com.apple.system.logger")',
    '  (global-name "com.apple.logd") (global-name "com.apple.system.notification_center"))',
    '(allow ipc-posix-shm-read-data (ipc-posix-name "apple.shm.notification_center"))',
    '',
    '; Reads: the system, yes; credentials and hidden dirs, no; the task\'s own dirs, yes again.',
    '(allow file-read*)',
  ];
  if (shape.realHomeCount > 0) {
    // Data only: the path to a folder inside stays traversable (stat), its contents do not.
    lines.push(`(deny file-read-data ${subpaths(names('REAL_HOME', shape.realHomeCount))})`);
    // Shown again: toolchains, the allowlist, and the git dirs a worktree needs (a checkout under ~).
    const again = [...names('SHOWN', shape.shownCount), ...names('RO', shape.readOnlyCount)];
    if (again.length > 0) lines.push(`(allow file-read* ${subpaths(again)})`);
  }
  if (shape.secretCount > 0) lines.push(`(deny file-read* ${subpaths(names('SECRET', shape.secretCount))})`);
  // Only the data: the task's worktree and HOME live inside FLOTILLA_HOME and must stay reachable.
  if (shape.hiddenCount > 0) lines.push(`(deny file-read-data ${subpaths(names('HIDDEN', shape.hiddenCount))})`);
  lines.push(`(allow file-read* ${subpaths(own)})`);
  lines.push('', shape.mode === 'read-only' ? '; Writes: HOME and tmp only (a read-only task).' : '; Writes: the worktree, HOME and tmp.');
  lines.push(`(allow file-write* ${subpaths(writable)})`);
  if (shape.readOnlyCount > 0) {
    lines.push('; The .git pointer and the git dirs stay read-only, even inside the worktree: the host commits.');
    lines.push(`(deny file-write* ${subpaths(names('RO', shape.readOnlyCount))})`);
  }
  if (shape.allowNetwork) {
    lines.push(
      '',
      '; Network allowed for this task: IP sockets and DNS, but still no host unix sockets (docker, agents).',
      '(allow system-socket)',
      '(allow network-outbound (remote ip "*:*"))',
      '(allow network-inbound (local ip "*:*"))',
      '(allow network-bind (local ip "*:*"))',
      '(allow network-outbound (literal "/private/var/run/mDNSResponder"))',
      '(allow mach-lookup (global-name "com.apple.dnssd.service") (global-name "com.apple.trustd.agent") (global-name "com.apple.SystemConfiguration.configd"))',
    );
  } else {
    lines.push('', '; No network: (deny default) already refuses every socket connection.');
  }
  if (shape.socketCount > 0) {
    lines.push('', '; Host unix sockets the user allowlisted for this repo: connect to these, and no other.');
    // Network on already allows every socket() call; without it, unix ones must be allowed here.
    if (!shape.allowNetwork) lines.push('(allow system-socket (socket-domain AF_UNIX))');
    for (const name of names('SOCKET', shape.socketCount)) lines.push(`(allow network-outbound (literal (param "${name}")))`);
  }
  return `${lines.join('\n')}\n`;
}

/** Like canonical, but a socket that is not there yet (its daemon not started) still gets its folder resolved. */
function canonicalSocket(p: string): string {
  return realpathOrNull(p) ?? path.join(canonicalPath(path.dirname(p)), path.basename(p));
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
