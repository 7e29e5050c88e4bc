import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { bwrapArgs } from './bwrapArgs.js';
import { OutputCollector } from './outputCollector.js';
import { MISSING_BWRAP_REASON, defaultBwrapPath, probeSandbox } from './probeSandbox.js';
import { sandboxEnv } from './sandboxEnv.js';
import type { SandboxSpec } from './sandboxSpec.js';

/** The sandbox cannot start here; the command was not run (never unsandboxed). Message = the probe's reason. */
export class SandboxUnavailableError extends Error {
  override readonly name = 'SandboxUnavailableError';
}

export interface CommandResult {
  /** null when killed by a signal or a limit. */
  exitCode: number | null;
  /** Stopped by us: wall-time limit, output cap, or abort. */
  isKilled: boolean;
  /** stdout+stderr interleaved, capped; ends with '\n[output truncated: N more bytes]' when cut. */
  output: string;
  isTruncated: boolean;
  durationMs: number;
}

export interface RunSandboxedOptions {
  /** Live output, UTF-8 decoded safely across chunk boundaries; stops (after one notice) at the cap. */
  onOutput?: (chunk: string) => void;
  /** Wall time, in ms. */
  timeoutMs?: number;
  /** Characters kept for the result; going past them stops the command. */
  maxOutputChars?: number;
  /** Abort stops the command and everything it started. */
  signal?: AbortSignal;
  /** Tests pass a missing path to simulate a machine without bubblewrap. */
  bwrapPath?: string;
  /** Also hidden from the command (FLOTILLA_HOME, the other worktrees' root). */
  hiddenPaths?: string[];
}

/** 10 min: long builds and test suites fit; a hung command does not hold a task forever. */
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** 1M characters: far more than a model can use; `yes` reaches it in a fraction of a second. */
export const DEFAULT_MAX_OUTPUT_CHARS = 1_000_000;
/** 2 s: after bwrap exits its pipes close at once (the pid namespace is gone); this only guards against a leak. */
const PIPE_GRACE_MS = 2_000;

/**
 * Runs one shell command inside bubblewrap and resolves when it is over. Throws
 * SandboxUnavailableError (before anything runs) when the sandbox cannot start here.
 *
 * bwrap gets its own process group and is killed as a group on timeout, cap or abort; with
 * `--die-with-parent` and its own pid namespace that takes every process the command started,
 * daemons included. A command that exits normally also takes its daemons along: the
 * namespace ends with it.
 */
export async function runSandboxed(spec: SandboxSpec, command: string, opts: RunSandboxedOptions = {}): Promise<CommandResult> {
  const bwrapPath = opts.bwrapPath ?? defaultBwrapPath();
  const status = await probeSandbox({ bwrapPath });
  if (!status.isAvailable) throw new SandboxUnavailableError(status.reason ?? MISSING_BWRAP_REASON);
  assertDirectory(spec.worktreePath, 'worktreePath');
  assertDirectory(spec.homeDir, 'homeDir');
  if (opts.signal?.aborted) return { exitCode: null, isKilled: true, output: '', isTruncated: false, durationMs: 0 };

  const args = bwrapArgs(spec, command, { hiddenPaths: opts.hiddenPaths });
  const startedAt = performance.now();
  return new Promise<CommandResult>((resolve, reject) => {
    // bwrap clears the environment itself (--clearenv); the allowlist here is a second lock.
    const child = spawn(bwrapPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: sandboxEnv(process.env, spec) });
    let hasExited = false;
    let isKilled = false;
    let isSettled = false;

    const killGroup = () => {
      // After exit the pid may be reused: never signal a group we no longer own.
      if (hasExited || isKilled || child.pid === undefined) return;
      isKilled = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const collector = new OutputCollector({
      maxChars: opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS,
      onOutput: opts.onOutput,
      onCapReached: killGroup,
    });
    child.stdout.on('data', (data: Buffer) => collector.push('stdout', data));
    child.stderr.on('data', (data: Buffer) => collector.push('stderr', data));

    const timer = setTimeout(killGroup, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    opts.signal?.addEventListener('abort', killGroup, { once: true });
    let pipeGuard: NodeJS.Timeout | undefined;
    const cleanUp = () => {
      clearTimeout(timer);
      clearTimeout(pipeGuard);
      opts.signal?.removeEventListener('abort', killGroup);
    };

    child.on('exit', () => {
      hasExited = true;
      pipeGuard = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, PIPE_GRACE_MS);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (isSettled) return;
      isSettled = true;
      cleanUp();
      // The probe passed a moment ago, so this is bubblewrap vanishing (or the system out of processes).
      reject(error.code === 'ENOENT' ? new SandboxUnavailableError(MISSING_BWRAP_REASON) : error);
    });
    child.on('close', (code) => {
      if (isSettled) return;
      isSettled = true;
      cleanUp();
      collector.end();
      resolve({
        exitCode: isKilled ? null : code,
        isKilled,
        output: collector.output,
        isTruncated: collector.isTruncated,
        durationMs: Math.round(performance.now() - startedAt),
      });
    });
  });
}

function assertDirectory(p: string, name: string): void {
  // The host creates both before running anything; a missing one is a bug, not a command failure.
  if (!fs.statSync(p, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`sandbox ${name} is not a directory: ${p}`);
}
