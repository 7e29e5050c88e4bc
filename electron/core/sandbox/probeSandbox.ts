import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE_MOUNT_ARGS, isolationArgs } from './bwrapArgs.js';
import { SANDBOX_EXEC_PATH } from './seatbeltProfile.js';

export interface SandboxStatus {
  isAvailable: boolean;
  /** Why not, and how to fix it; null when available. */
  reason: string | null;
}

export const MISSING_BWRAP_REASON = 'sandbox unavailable: install bubblewrap (apt install bubblewrap)';
const NAMESPACE_FIX_HINT =
  'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04+ ' +
  'sysctl kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap; in a container, run it with user namespaces allowed)';
/** 10 s: a healthy probe takes ~10 ms; anything this slow is stuck, not busy. */
const PROBE_TIMEOUT_MS = 10_000;

/** Only successes are kept: after the user installs bubblewrap, the next probe sees it. */
const availableByPath = new Map<string, Promise<SandboxStatus>>();

export interface ProbeSandboxOptions {
  bwrapPath?: string;
  /** macOS: default /usr/bin/sandbox-exec. */
  sandboxExecPath?: string;
  platform?: NodeJS.Platform;
}

/**
 * Whether sandboxed commands can run here: on Linux actually starts bwrap with the namespaces
 * and mounts every command gets, on macOS sandbox-exec with a deny-by-default profile, running
 * `/usr/bin/true`. Never throws.
 */
export async function probeSandbox(opts: ProbeSandboxOptions = {}): Promise<SandboxStatus> {
  const platform = opts.platform ?? process.platform;
  let probe: ProbeCommand;
  if (platform === 'linux') {
    const bwrapPath = opts.bwrapPath ?? defaultBwrapPath();
    probe = {
      file: bwrapPath,
      args: [...isolationArgs(false), ...BASE_MOUNT_ARGS, '--', '/bin/true'],
      missingReason: MISSING_BWRAP_REASON,
      failedReason: (detail) => `sandbox unavailable: bubblewrap could not create namespaces: ${detail}; ${NAMESPACE_FIX_HINT}`,
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

interface ProbeCommand {
  file: string;
  args: string[];
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
  return new Promise((resolve) => {
    const child = spawn(probe.file, probe.args, { stdio: ['ignore', 'ignore', 'pipe'], env: {} });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
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
