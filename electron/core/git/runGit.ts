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
}

/** nice(1)'s lowest priority: runs only on CPU time nobody else wants. */
const LOWEST_PRIORITY = 19;

/**
 * Runs one hardened git command and reports its exit code instead of throwing on it.
 * For the calls where the code carries meaning (`merge-tree` exits 1 on conflicts,
 * `rev-parse --verify --quiet` exits 1 for a missing ref): simple-git only rejects when
 * the exit code is non-zero *and* stderr is not empty, and it hides the code.
 * Rejects only when git could not be started at all.
 */
export function runGit(cwd: string, args: string[], options: RunGitOptions = {}): Promise<GitRun> {
  const env: Record<string, string> = hardenedEnv();
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
    const child = spawn('git', [...hardeningArgs(), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.once('error', reject);
    child.once('close', (code, signal) => {
      resolve({
        // A signal-killed git counts as failed (128 + signal, as a shell reports it).
        exitCode: code ?? (signal ? 128 + signalNumber(signal) : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
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
    super(`git ${args.find((arg) => !arg.startsWith('-')) ?? ''} failed (exit ${run.exitCode}): ${firstLines(run.stderr) || firstLines(run.stdout)}`);
    this.name = 'GitCommandError';
  }
}

/** The first few lines of git's output, for messages shown to people. */
export function firstLines(text: string, count = 4): string {
  return text.trim().split('\n').slice(0, count).join(' / ');
}

function signalNumber(signal: NodeJS.Signals): number {
  return os.constants.signals[signal] ?? 0;
}
