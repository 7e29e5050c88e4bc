import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE_MOUNT_ARGS, isolationArgs } from './bwrapArgs.js';
import { SANDBOX_EXEC_PATH } from './seatbeltProfile.js';
import { SECCOMP_BWRAP_ARGS, SECCOMP_FD, seccompFilterFile, seccompUnsupportedReason } from './seccompFilter.js';
import { errorMessage } from '../util/errorMessage.js';

export interface SandboxStatus {
  isAvailable: boolean;
  /** Why not, and how to fix it; null when available. */
  reason: string | null;
}

export const MISSING_BWRAP_REASON = 'sandbox unavailable: install bubblewrap (apt install bubblewrap)';
const NAMESPACE_FIX_HINT =
  'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04+ ' +
  'sysctl kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap; in a container, run it with user namespaces allowed)';
const SECCOMP_FIX_HINT =
  'commands never run without the filter that keeps them from host unix sockets: use a kernel built with ' +
  'CONFIG_SECCOMP_FILTER (every mainstream distribution kernel is), or, in a container, a runtime that lets processes install seccomp filters';
/** What bwrap prints when the kernel refuses the filter (prctl(PR_SET_SECCOMP) failed). */
const SECCOMP_REFUSED = /seccomp|system call filtering/i;
/** 10 s: a healthy probe takes ~10 ms; anything this slow is stuck, not busy. */
const PROBE_TIMEOUT_MS = 10_000;

/** Only successes are kept: after the user installs bubblewrap, the next probe sees it. */
const availableByPath = new Map<string, Promise<SandboxStatus>>();

export interface ProbeSandboxOptions {
  bwrapPath?: string;
  /** macOS: default /usr/bin/sandbox-exec. */
  sandboxExecPath?: string;
  platform?: NodeJS.Platform;
  /** Linux: default process.arch (tests pass another to see an unsupported one refused). */
  arch?: NodeJS.Architecture;
}

/**
 * Whether sandboxed commands can run here: on Linux actually starts bwrap with the namespaces,
 * mounts and seccomp filter every command gets (the same file on the same fd), on macOS
 * sandbox-exec with a deny-by-default profile, running `/usr/bin/true`. Never throws.
 *
 * On Linux "available" means commands get the filter: a CPU architecture it does not cover, or
 * a kernel that refuses it, makes the sandbox unavailable (never a run without it).
 */
export async function probeSandbox(opts: ProbeSandboxOptions = {}): Promise<SandboxStatus> {
  const platform = opts.platform ?? process.platform;
  let probe: ProbeCommand;
  if (platform === 'linux') {
    const unsupported = seccompUnsupportedReason(opts.arch);
    if (unsupported !== null) return { isAvailable: false, reason: unsupported };
    const bwrapPath = opts.bwrapPath ?? defaultBwrapPath();
    probe = {
      file: bwrapPath,
      args: [...SECCOMP_BWRAP_ARGS, ...isolationArgs(false), ...BASE_MOUNT_ARGS, '--', '/bin/true'],
      seccompFilterFile: () => seccompFilterFile(PROBE_SPEC),
      missingReason: MISSING_BWRAP_REASON,
      failedReason: (detail) =>
        SECCOMP_REFUSED.test(detail)
          ? `sandbox unavailable: the kernel refused the seccomp filter: ${detail}; ${SECCOMP_FIX_HINT}`
          : `sandbox unavailable: bubblewrap could not create namespaces: ${detail}; ${NAMESPACE_FIX_HINT}`,
    };
  } else if (platform === 'darwin') {
    const sandboxExecPath = opts.sandboxExecPath ?? SANDBOX_EXEC_PATH;
    probe = {
      file: sandboxExecPath,
      // The smallest deny-by-default profile that can still run a program.
      args: ['-p', '(version 1)(deny default)(allow process-exec)(allow process-fork)(allow file-read*)(allow sysctl-read)', '--', '/usr/bin/true'],
      missingReason: `sandbox unavailable: ${sandboxExecPath} is missing (it ships with macOS)`,
      failedReason: (detail) => `sandbox unavailable: sandbox-exec refused to start: ${detail}`,
    };
  } else {
    return { isAvailable: false, reason: `sandbox unavailable: sandboxed commands need Linux with bubblewrap or macOS (this is ${platform})` };
  }
  const cached = availableByPath.get(probe.file);
  if (cached) return cached;
  const pending = startProbe(probe);
  availableByPath.set(probe.file, pending);
  const status = await pending;
  if (!status.isAvailable) availableByPath.delete(probe.file);
  return status;
}

/** The filter a task without allowlisted sockets gets (the strict one); no path of it is written. */
const PROBE_SPEC = { worktreePath: '/nonexistent/flotilla-probe', homeDir: '/nonexistent/flotilla-probe', extraWritablePaths: [] };

interface ProbeCommand {
  file: string;
  args: string[];
  /** Linux: the filter file handed to bwrap on SECCOMP_FD, as every command gets it. */
  seccompFilterFile?: () => string;
  missingReason: string;
  failedReason: (detail: string) => string;
}

/**
 * The bwrap binary: the distribution's, else the first on PATH. An absolute path, so the
 * directory a command runs in can never supply its own `bwrap`.
 */
export function defaultBwrapPath(hostEnv: NodeJS.ProcessEnv = process.env): string {
  const candidates = ['/usr/bin/bwrap', ...(hostEnv.PATH ?? '').split(path.delimiter).filter((dir) => path.isAbsolute(dir)).map((dir) => path.join(dir, 'bwrap'))];
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next one.
    }
  }
  return '/usr/bin/bwrap';
}

function startProbe(probe: ProbeCommand): Promise<SandboxStatus> {
  let filterFd: number | undefined;
  try {
    if (probe.seccompFilterFile) filterFd = fs.openSync(probe.seccompFilterFile(), 'r');
  } catch (error) {
    const detail = errorMessage(error);
    return Promise.resolve({ isAvailable: false, reason: `sandbox unavailable: cannot write the seccomp filter: ${detail}` });
  }
  // stdio[SECCOMP_FD] is the filter: bwrap gets it on the fd its --seccomp names (no shell needed here).
  const stdio: StdioOptions = ['ignore', 'ignore', 'pipe'];
  if (filterFd !== undefined) stdio[SECCOMP_FD] = filterFd;
  return new Promise<SandboxStatus>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(probe.file, probe.args, { stdio, env: {} });
    } finally {
      // The child has its own copy now.
      if (filterFd !== undefined) fs.closeSync(filterFd);
    }
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      if (stderr.length < 4096) stderr += text;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    let isSettled = false;
    const settle = (status: SandboxStatus) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      resolve(status);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') settle({ isAvailable: false, reason: probe.missingReason });
      else settle({ isAvailable: false, reason: `sandbox unavailable: cannot start ${probe.file}: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      if (code === 0) return settle({ isAvailable: true, reason: null });
      const firstLine = stderr.split('\n').find((line) => line.trim() !== '')?.trim();
      const detail = firstLine ?? (signal ? `killed by ${signal} (no answer within ${PROBE_TIMEOUT_MS / 1000} s)` : `exit code ${code}`);
      settle({ isAvailable: false, reason: probe.failedReason(detail) });
    });
  });
}
