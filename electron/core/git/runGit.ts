import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { hardenedEnv, hardeningArgs } from './git.js';

export interface GitRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunGitOptions {
  /**
   * Extra settings for this call only, as [key, value]. Passed through GIT_CONFIG_KEY_<n>/
   * GIT_CONFIG_VALUE_<n> rather than `-c`, so a key with '=' in it (a driver named by the
   * repo) cannot be misread. They override the repo's own config, like `-c`.
   */
  config?: ReadonlyArray<readonly [key: string, value: string]>;
  /**
   * Run at the lowest CPU priority (nice 19): for reads that may take a while and must not
   * slow what the user waits for, e.g. `git status` of a big checkout while a task starts.
   */
  isLowPriority?: boolean;
  /** Written to git's stdin, then closed (`update-index --index-info`, `hash-object --stdin`). */
  input?: string;
  /**
   * Wall time, in ms, after which git and everything it started are killed and the call fails
   * (exit 124, as timeout(1) reports it). Default GIT_TIMEOUT_MS.
   */
  timeoutMs?: number;
  /**
   * An index file (absolute path) used instead of the repo's own (GIT_INDEX_FILE): to stage a
   * worktree for a look at it without touching the index the checkpoints and the user rely on.
   */
  indexFile?: string;
}

/** nice(1)'s lowest priority: runs only on CPU time nobody else wants. */
const LOWEST_PRIORITY = 19;
/**
 * 5 min for one git call. Far above any status, add or diff of a real checkout (seconds), yet
 * finite: a worktree is the agent's, and it can make git block for ever (a nested `.git` file
 * whose HEAD is a FIFO stops `git status` in open(2)). A stuck call fails instead of holding
 * a task or the Disk view for good. `worktree add` of a huge repo passes its own.
 */
export const GIT_TIMEOUT_MS = 5 * 60_000;
/** What a timed-out call exits with (timeout(1)'s code). */
export const GIT_TIMED_OUT = 124;

/**
 * Runs one hardened git command (git.ts: the one place git is hardened) and reports its exit
 * code instead of throwing on it, for the calls where the code carries meaning (`merge-tree`
 * exits 1 on conflicts, `rev-parse --verify --quiet` exits 1 for a missing ref). Every host git
 * call goes through here, so hardening, time limits and priorities cannot be forgotten.
 * Rejects only when git could not be started at all.
 */
export function runGit(cwd: string, args: string[], options: RunGitOptions = {}): Promise<GitRun> {
  const env: Record<string, string> = hardenedEnv();
  // Set after hardenedEnv, which drops every inherited GIT_* variable.
  if (options.indexFile !== undefined) env.GIT_INDEX_FILE = options.indexFile;
  const extra = options.config ?? [];
  if (extra.length > 0) {
    env.GIT_CONFIG_COUNT = String(extra.length);
    extra.forEach(([key, value], n) => {
      env[`GIT_CONFIG_KEY_${n}`] = key;
      env[`GIT_CONFIG_VALUE_${n}`] = value;
    });
  }
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(cwd)) {
      reject(new Error(`cannot run git in ${cwd}: the folder does not exist`));
      return;
    }
    // Its own process group: a time-out kills git and whatever it started.
    const child = spawn('git', [...hardeningArgs(), ...args], {
      cwd,
      env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (options.isLowPriority && child.pid !== undefined) {
      try {
        os.setPriority(child.pid, LOWEST_PRIORITY);
      } catch {
        // Not allowed here (or already gone): it runs at normal priority.
      }
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    // git may exit before reading all its input (a bad record): that is its answer, not ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
    const timeoutMs = options.timeoutMs ?? GIT_TIMEOUT_MS;
    let isTimedOut = false;
    const timer = setTimeout(() => {
      isTimedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({
        // A signal-killed git counts as failed (128 + signal, as a shell reports it).
        exitCode: isTimedOut ? GIT_TIMED_OUT : (code ?? (signal ? 128 + signalNumber(signal) : 1)),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: isTimedOut ? `git ${subcommandOf(args)} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped\n${stderr}` : stderr,
      });
    });
  });
}

/** Like `runGit`, but any non-zero exit is an unexpected error (thrown with git's message). */
export async function runGitOk(cwd: string, args: string[], options: RunGitOptions = {}): Promise<string> {
  const run = await runGit(cwd, args, options);
  if (run.exitCode !== 0) throw new GitCommandError(args, run);
  return run.stdout;
}

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly run: GitRun,
  ) {
    super(`git ${subcommandOf(args)} failed (exit ${run.exitCode}): ${firstLines(run.stderr) || firstLines(run.stdout)}`);
    this.name = 'GitCommandError';
  }
}

/** The first few lines of git's output, for messages shown to people. */
export function firstLines(text: string, count = 4): string {
  return text.trim().split('\n').slice(0, count).join(' / ');
}

/** The subcommand's name (`status`), for messages; the hardening `-c` pairs come before it. */
function subcommandOf(args: readonly string[]): string {
  return args.find((arg) => !arg.startsWith('-')) ?? '';
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return os.constants.signals[signal] ?? 0;
}
