import fs from 'node:fs';
import { DEFAULT_COMMAND_TIMEOUT_MS } from '../../../shared/model/commandLimits.js';
import { bwrapArgs } from './bwrapArgs.js';
import { SandboxUnavailableError, type CommandLaunch, type CommandResult, type CommandSpawner } from './commandSpawner.js';
import { pipeSpawner } from './pipeSpawner.js';
import { MISSING_BWRAP_REASON, defaultBwrapPath, probeSandbox } from './probeSandbox.js';
import { CommandCgroup, DEFAULT_MAX_PROCESSES, probeProcessLimiter, type ProcessLimiter } from './processLimit.js';
import { sandboxEnv } from './sandboxEnv.js';
import type { SandboxSpec } from './sandboxSpec.js';
import { SANDBOX_EXEC_PATH, seatbeltArgs, seatbeltTmpDir } from './seatbeltProfile.js';
import { withSeccompFilter } from './seccompFilter.js';

export { SandboxUnavailableError } from './commandSpawner.js';
export type { CommandLaunch, CommandResult, CommandSpawner, SpawnOptions } from './commandSpawner.js';

export interface RunSandboxedOptions {
  /** Live output, decoded safely across chunk boundaries; stops (after one notice) at the cap. */
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
  /**
   * How the prepared command is started: default pipeSpawner (stdout/stderr on pipes); the
   * agent worker passes a spawner that runs it on a pty in the pty host.
   */
  spawner?: CommandSpawner;
}

/** 10 min: long builds and test suites fit; a hung command does not hold a task forever. */
export const DEFAULT_TIMEOUT_MS = DEFAULT_COMMAND_TIMEOUT_MS;
/**
 * 2M characters: far more than a model can use, yet a verbose build or test log runs to its end
 * (`seq 1 200000` prints 1.3 MB); `yes` still reaches it in a fraction of a second.
 */
export const DEFAULT_MAX_OUTPUT_CHARS = 2_000_000;
/** What a command on a terminal of its own is told it can use: 256 colours (the UI is xterm.js). */
const TERMINAL_TYPE = 'xterm-256color';

/**
 * Runs one shell command for a task and resolves when it is over. Throws
 * SandboxUnavailableError (before anything runs) when the sandbox cannot start here.
 *
 * - Linux: inside bubblewrap (bwrapArgs), under a seccomp filter that refuses unix sockets and
 *   io_uring (seccompFilter.ts). bwrap gets its own process group and is killed as
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
 *
 * What is run is decided here; how it is started is the spawner's (`opts.spawner`): on pipes
 * here (pipeSpawner), or on a pty in the pty host for the agent (see ptyCommandSpawner.ts).
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
  const spawner = opts.spawner ?? pipeSpawner;
  // Made before the launch, which joins it first thing (mkdir + pids.max: ~0.3 ms).
  const cgroup = limiter.kind === 'cgroup' ? await CommandCgroup.create(limiter.parentDir, maxProcesses) : undefined;
  try {
    const launch = prepareLaunch(spec, command, {
      sandbox,
      sandboxPath,
      limiter,
      cgroup,
      maxProcesses,
      hiddenPaths: opts.hiddenPaths,
      hasOwnTerminal: spawner.hasOwnTerminal,
    });
    return await spawner.spawn(launch, {
      onOutput: opts.onOutput,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxOutputChars: opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS,
      signal: opts.signal,
      cgroup,
    });
  } finally {
    await cgroup?.release();
  }
}

/** The argv, cwd and environment of one command under its sandbox, joining `cgroup` before anything else runs. */
function prepareLaunch(
  spec: SandboxSpec,
  command: string,
  opts: {
    sandbox: 'bwrap' | 'seatbelt' | 'none';
    sandboxPath: string;
    limiter: ProcessLimiter;
    cgroup: CommandCgroup | undefined;
    maxProcesses: number;
    hiddenPaths: string[] | undefined;
    hasOwnTerminal: boolean;
  },
): CommandLaunch {
  // On a terminal of its own the command is told what it is (colours, progress bars).
  const hostEnv = opts.hasOwnTerminal ? { ...process.env, TERM: TERMINAL_TYPE } : process.env;
  // bwrap clears the environment itself (--clearenv); the allowlist here is a second lock.
  const env = sandboxEnv(hostEnv, spec);
  if (opts.sandbox === 'bwrap') {
    const args = bwrapArgs(spec, command, {
      hiddenPaths: opts.hiddenPaths,
      hostEnv,
      maxProcesses: opts.limiter.kind === 'rlimit' ? opts.maxProcesses : undefined,
      // On its own pty bwrap must not setsid: the pty is the command's controlling terminal
      // (job control, Ctrl-C from the Agent terminal). TIOCSTI then reaches only that pty,
      // whose input comes from the user's Agent terminal, never the host's own terminal.
      hasOwnTerminal: opts.hasOwnTerminal,
    });
    // Here, so that both spawners (pipes, and the pty host's node-pty, which cannot pass extra
    // fds) start the same launcher; its shell also joins the cgroup (one shell, not two).
    const launcher = withSeccompFilter(spec, opts.sandboxPath, args, { cgroup: opts.cgroup });
    return { ...launcher, cwd: spec.worktreePath, env, killsLeftoversOnExit: false, missingReason: MISSING_BWRAP_REASON };
  }
  if (opts.sandbox === 'seatbelt') {
    const tmpDir = seatbeltTmpDir(spec);
    fs.mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
    const args = seatbeltArgs(spec, command, { hiddenPaths: opts.hiddenPaths });
    return {
      ...joined(opts.cgroup, opts.sandboxPath, args),
      cwd: spec.worktreePath,
      env: { ...env, TMPDIR: tmpDir },
      killsLeftoversOnExit: true,
      missingReason: `sandbox unavailable: ${opts.sandboxPath} is missing`,
    };
  }
  return { ...joined(opts.cgroup, '/bin/bash', ['-c', '--', command]), cwd: spec.worktreePath, env, killsLeftoversOnExit: true, missingReason: null };
}

/** `file args…`, behind the cgroup's launcher when there is one. */
function joined(cgroup: CommandCgroup | undefined, file: string, args: string[]): { file: string; args: string[] } {
  return cgroup ? cgroup.wrap(file, args) : { file, args };
}

function assertDirectory(p: string, name: string): void {
  // The host creates both before running anything; a missing one is a bug, not a command failure.
  if (!fs.statSync(p, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`sandbox ${name} is not a directory: ${p}`);
}
