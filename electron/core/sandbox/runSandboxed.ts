import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEFAULT_COMMAND_TIMEOUT_MS } from '../../../shared/model/sandboxPolicy.js';
import { bwrapArgs } from './bwrapArgs.js';
import { OutputCollector } from './outputCollector.js';
import { MISSING_BWRAP_REASON, defaultBwrapPath, probeSandbox } from './probeSandbox.js';
import { CommandCgroup, DEFAULT_MAX_PROCESSES, probeProcessLimiter, type ProcessLimiter } from './processLimit.js';
import { sandboxEnv } from './sandboxEnv.js';
import type { SandboxSpec } from './sandboxSpec.js';
import { SANDBOX_EXEC_PATH, seatbeltArgs, seatbeltTmpDir } from './seatbeltProfile.js';

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
  /** Processes (threads included) the command may have at once; default DEFAULT_MAX_PROCESSES. */
  maxProcesses?: number;
  /** How that cap is enforced; default: the best this host offers (probeProcessLimiter). */
  processLimiter?: ProcessLimiter;
  /** Default process.platform: 'linux' uses bwrap, 'darwin' sandbox-exec. */
  platform?: NodeJS.Platform;
  /** macOS: default /usr/bin/sandbox-exec. */
  sandboxExecPath?: string;
}

/** 10 min: long builds and test suites fit; a hung command does not hold a task forever. */
export const DEFAULT_TIMEOUT_MS = DEFAULT_COMMAND_TIMEOUT_MS;
/** 1M characters: far more than a model can use; `yes` reaches it in a fraction of a second. */
export const DEFAULT_MAX_OUTPUT_CHARS = 1_000_000;
/** 2 s: after bwrap exits its pipes close at once (the pid namespace is gone); this only guards against a leak. */
const PIPE_GRACE_MS = 2_000;

/** What to spawn for one command, and how it is contained. */
interface Launch {
  file: string;
  args: string[];
  cwd: string | undefined;
  env: Record<string, string>;
  /** No pid namespace (full access, macOS): what the command leaves behind is killed when it exits. */
  killsLeftoversOnExit: boolean;
  /** When the binary vanished after the probe: the sandbox is gone (null: not a sandbox binary). */
  missingReason: string | null;
}

/**
 * Runs one shell command for a task and resolves when it is over. Throws
 * SandboxUnavailableError (before anything runs) when the sandbox cannot start here.
 *
 * - Linux: inside bubblewrap (bwrapArgs). bwrap gets its own process group and is killed as
 *   a group on timeout, cap or abort; with `--die-with-parent` and its own pid namespace that
 *   takes every process the command started, daemons included, also when the command exits
 *   on its own.
 * - macOS: inside sandbox-exec (seatbeltArgs), killed as a process group.
 * - `full-access`: no sandbox, because the user chose so for this task: the command runs
 *   directly in the worktree, still with the environment allowlist, its own process group,
 *   the process cap, the wall time and the output cap.
 *
 * The process cap comes from a per-command cgroup or, for a non-root user, an rlimit in
 * bwrap's user namespace (processLimit.ts); where neither exists it is not enforced.
 */
export async function runSandboxed(spec: SandboxSpec, command: string, opts: RunSandboxedOptions = {}): Promise<CommandResult> {
  const platform = opts.platform ?? process.platform;
  const mode = spec.mode;
  let sandbox: 'bwrap' | 'seatbelt' | 'none' = 'none';
  let sandboxPath = '';
  if (mode !== 'full-access') {
    sandbox = platform === 'darwin' ? 'seatbelt' : 'bwrap';
    sandboxPath = sandbox === 'seatbelt' ? (opts.sandboxExecPath ?? SANDBOX_EXEC_PATH) : (opts.bwrapPath ?? defaultBwrapPath());
    const status = await probeSandbox({ platform, bwrapPath: opts.bwrapPath, sandboxExecPath: opts.sandboxExecPath });
    if (!status.isAvailable) throw new SandboxUnavailableError(status.reason ?? MISSING_BWRAP_REASON);
  }
  assertDirectory(spec.worktreePath, 'worktreePath');
  assertDirectory(spec.homeDir, 'homeDir');
  if (opts.signal?.aborted) return { exitCode: null, isKilled: true, output: '', isTruncated: false, durationMs: 0 };

  const maxProcesses = opts.maxProcesses ?? DEFAULT_MAX_PROCESSES;
  const limiter: ProcessLimiter =
    platform === 'linux' ? (opts.processLimiter ?? (await probeProcessLimiter())) : { kind: 'none', reason: `no process-count limit on ${platform}` };
  // bwrap clears the environment itself (--clearenv); the allowlist here is a second lock.
  const env = sandboxEnv(process.env, spec);
  let launch: Launch;
  if (sandbox === 'bwrap') {
    const args = bwrapArgs(spec, command, { hiddenPaths: opts.hiddenPaths, maxProcesses: limiter.kind === 'rlimit' ? maxProcesses : undefined });
    launch = { file: sandboxPath, args, cwd: undefined, env, killsLeftoversOnExit: false, missingReason: MISSING_BWRAP_REASON };
  } else if (sandbox === 'seatbelt') {
    const tmpDir = seatbeltTmpDir(spec);
    fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    const args = seatbeltArgs(spec, command, { hiddenPaths: opts.hiddenPaths });
    launch = {
      file: sandboxPath,
      args,
      cwd: spec.worktreePath,
      env: { ...env, TMPDIR: tmpDir },
      killsLeftoversOnExit: true,
      missingReason: `sandbox unavailable: ${sandboxPath} is missing`,
    };
  } else {
    launch = { file: '/bin/bash', args: ['-c', '--', command], cwd: spec.worktreePath, env, killsLeftoversOnExit: true, missingReason: null };
  }
  const cgroup = limiter.kind === 'cgroup' ? CommandCgroup.create(limiter.parentDir, maxProcesses) : undefined;
  if (cgroup) {
    const wrapped = cgroup.wrap(launch.file, launch.args);
    launch = { ...launch, file: wrapped.file, args: wrapped.args };
  }
  try {
    return await spawnContained(launch, opts, cgroup);
  } finally {
    await cgroup?.release();
  }
}

function spawnContained(launch: Launch, opts: RunSandboxedOptions, cgroup: CommandCgroup | undefined): Promise<CommandResult> {
  const startedAt = performance.now();
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(launch.file, launch.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: launch.env, cwd: launch.cwd });
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
      // Without a pid namespace, processes that left the group (setsid) are still in the cgroup.
      cgroup?.killAll();
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
      if (launch.killsLeftoversOnExit) {
        // Daemons die with their command, as they do in bwrap's pid namespace. The group id
        // cannot be reused while members remain, so this reaches only our own leftovers.
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // No leftovers in the group.
          }
        }
        cgroup?.killAll();
      }
      pipeGuard = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, PIPE_GRACE_MS);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (isSettled) return;
      isSettled = true;
      cleanUp();
      // The probe passed a moment ago, so this is the sandbox vanishing (or the system out of processes).
      reject(error.code === 'ENOENT' && launch.missingReason !== null ? new SandboxUnavailableError(launch.missingReason) : error);
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
