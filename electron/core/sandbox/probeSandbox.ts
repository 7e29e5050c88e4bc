import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BASE_MOUNT_ARGS, isolationArgs } from './bwrapArgs.js';

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

/**
 * Whether sandboxed commands can run here: actually starts bwrap with the namespaces and
 * mounts every command gets, running `/bin/true`. Never throws.
 */
export async function probeSandbox(opts: { bwrapPath?: string; platform?: NodeJS.Platform } = {}): Promise<SandboxStatus> {
  const platform = opts.platform ?? process.platform;
  if (platform !== 'linux') {
    return { isAvailable: false, reason: `sandbox unavailable: sandboxed commands need Linux with bubblewrap for now (this is ${platform})` };
  }
  const bwrapPath = opts.bwrapPath ?? defaultBwrapPath();
  const cached = availableByPath.get(bwrapPath);
  if (cached) return cached;
  const pending = startProbe(bwrapPath);
  availableByPath.set(bwrapPath, pending);
  const status = await pending;
  if (!status.isAvailable) availableByPath.delete(bwrapPath);
  return status;
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

function startProbe(bwrapPath: string): Promise<SandboxStatus> {
  return new Promise((resolve) => {
    const args = [...isolationArgs(false), ...BASE_MOUNT_ARGS, '--', '/bin/true'];
    const child = spawn(bwrapPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: {} });
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
      if (error.code === 'ENOENT') settle({ isAvailable: false, reason: MISSING_BWRAP_REASON });
      else settle({ isAvailable: false, reason: `sandbox unavailable: cannot start ${bwrapPath}: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      if (code === 0) return settle({ isAvailable: true, reason: null });
      const firstLine = stderr.split('\n').find((line) => line.trim() !== '')?.trim();
      const detail = firstLine ?? (signal ? `killed by ${signal} (no answer within ${PROBE_TIMEOUT_MS / 1000} s)` : `exit code ${code}`);
      settle({ isAvailable: false, reason: `sandbox unavailable: bubblewrap could not create namespaces: ${detail}; ${NAMESPACE_FIX_HINT}` });
    });
  });
}
