import type { CommandCgroup } from './processLimit.js';

/** The sandbox cannot start here; the command was not run (never unsandboxed). Message = the probe's reason. */
export class SandboxUnavailableError extends Error {
  override readonly name = 'SandboxUnavailableError';
}

export interface CommandResult {
  /** null when killed by a signal or a limit. */
  exitCode: number | null;
  /** Stopped by us (wall-time limit, output cap, abort), or ended under it (see `interruption`). */
  isKilled: boolean;
  /** The command's output, capped; ends with '\n[output truncated: N more bytes]' when cut. */
  output: string;
  isTruncated: boolean;
  durationMs: number;
  /**
   * Why the command ended when neither it nor a limit ended it, e.g. the process that held its
   * terminal crashed. Absent otherwise.
   */
  interruption?: string;
}

/** What to start for one command, and how it is contained (made by runSandboxed). */
export interface CommandLaunch {
  file: string;
  args: string[];
  /** The worktree (bwrap changes into it again inside the sandbox). */
  cwd: string;
  env: Record<string, string>;
  /** No pid namespace (full access, macOS): what the command leaves behind is killed when it exits. */
  killsLeftoversOnExit: boolean;
  /** When the binary vanished after the probe: the sandbox is gone (null: not a sandbox binary). */
  missingReason: string | null;
}

export interface SpawnOptions {
  /** Live output, decoded; stops (after one notice) at the cap. */
  onOutput?: (chunk: string) => void;
  /** Wall time, in ms. */
  timeoutMs: number;
  /** Characters kept for the result; going past them stops the command. */
  maxOutputChars: number;
  /** Abort stops the command and everything it started. */
  signal?: AbortSignal;
  /** The command's own cgroup, when the process cap is enforced by one: killed with it. */
  cgroup?: CommandCgroup;
}

/**
 * Starts a launch and resolves with the command's result once it is over. Rejects (before
 * anything ran) only when it could not start; limits and aborts end in a result.
 */
export interface CommandSpawner {
  /**
   * The command gets a terminal (pty) of its own, which no one outside the sandbox reads
   * keystrokes from: bwrap then keeps it in its session (see BwrapArgsOptions.hasOwnTerminal).
   */
  readonly hasOwnTerminal: boolean;
  spawn(launch: CommandLaunch, opts: SpawnOptions): Promise<CommandResult>;
}
