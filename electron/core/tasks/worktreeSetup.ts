import fs from 'node:fs';
import path from 'node:path';
import type { RepoSettings } from '../../../shared/model/task.js';
import type { TaskEventBody } from '../../../shared/model/taskEvents.js';
import { isSafeRelativePath } from '../repos/repoService.js';
import { runSandboxed, SandboxUnavailableError } from '../sandbox/runSandboxed.js';
import { isWithin } from '../sandbox/writablePaths.js';
import type { ScriptSandbox } from './taskSandbox.js';
import { errorMessage } from '../util/errorMessage.js';

/** The call id of the setup script in a task's journal; its success means "setup done". */
export const SETUP_CALL_ID = 'setup';
const CLEANUP_CALL_ID = 'cleanup';
/** 60 s: a cleanup script must not hold up a merge for long. */
const CLEANUP_TIMEOUT_MS = 60_000;

/** How a repo script runs: in the task's sandbox, bounded in time, journalled like a command. */
interface ScriptRunOptions {
  /** Asked for only when there is a script to run. */
  sandbox: () => Promise<ScriptSandbox>;
  timeoutMs: number;
  signal: AbortSignal;
  record: (body: TaskEventBody) => void;
}

export type ScriptOutcome =
  /** It ran (exit code null: killed by a limit, a stop, or it could not be started). */
  | { kind: 'ran'; exitCode: number | null; isKilled: boolean }
  /** The sandbox cannot start here: the script did not run (never unsandboxed). */
  | { kind: 'sandbox_unavailable'; reason: string };

/**
 * Prepares a new worktree: copies the configured files from the repo, then runs the repo's
 * setup script in it. The user wrote the script in Flotilla's settings (never in the repo), but
 * what it runs (`npm ci` runs package.json's install scripts, `make` the Makefile) may be the
 * agent's: a worktree restored from the task branch holds its commits. So it runs in the task's
 * sandbox (`sandbox`, see scriptSandbox in taskSandbox.ts), never on the host; its output is
 * journalled like a command. Returns null when there was nothing to run.
 */
export async function prepareWorktree(
  opts: ScriptRunOptions & {
    repoPath: string;
    worktreePath: string;
    settings: RepoSettings;
  },
): Promise<ScriptOutcome | null> {
  await copyFiles(opts);
  if (opts.settings.setupScript.trim() === '') return null;
  return runScript({ ...opts, callId: SETUP_CALL_ID, label: 'setup script', script: opts.settings.setupScript });
}

/**
 * Runs the repo's cleanup script (if any) in a worktree about to be removed, in the task's
 * sandbox: the worktree is the agent's (`make clean` runs its Makefile). Failures, a sandbox
 * that cannot start included, are only noted: the removal goes on.
 */
export async function cleanupWorktree(opts: {
  worktreePath: string;
  settings: RepoSettings;
  sandbox: () => Promise<ScriptSandbox>;
  record: (body: TaskEventBody) => void;
}): Promise<void> {
  if (opts.settings.cleanupScript.trim() === '' || !fs.existsSync(opts.worktreePath)) return;
  const outcome = await runScript({
    ...opts,
    callId: CLEANUP_CALL_ID,
    label: 'cleanup script',
    script: opts.settings.cleanupScript,
    timeoutMs: CLEANUP_TIMEOUT_MS,
    signal: new AbortController().signal,
  });
  if (outcome.kind === 'sandbox_unavailable') {
    opts.record({ kind: 'note', text: `The cleanup script did not run: ${outcome.reason}. The worktree was removed anyway.` });
  } else if (outcome.exitCode !== 0) {
    opts.record({ kind: 'note', text: 'The cleanup script failed; the worktree was removed anyway.' });
  }
}

/**
 * The repo's `copyFiles` (.env…) from the user's checkout into the worktree: at setup, and after a
 * restore (archives leave them out). Asynchronous: in the desktop app this runs on the main
 * process, and a large copied file must not freeze the window.
 */
export async function copyFiles(opts: { repoPath: string; worktreePath: string; settings: RepoSettings; record: (body: TaskEventBody) => void }): Promise<void> {
  for (const file of opts.settings.copyFiles) {
    const from = path.join(opts.repoPath, file);
    const to = path.join(opts.worktreePath, file);
    if (!isSafeRelativePath(file)) continue;
    try {
      const stat = await fs.promises.lstat(from);
      // Regular files only: a symlink could point anywhere on the machine.
      if (!stat.isFile()) throw new Error('not a regular file (symlinks are not followed)');
      await fs.promises.mkdir(path.dirname(to), { recursive: true });
      // The destination must stay inside the worktree too, whatever links its folders hold.
      const [destinationFolder, worktree] = await Promise.all([fs.promises.realpath(path.dirname(to)), fs.promises.realpath(opts.worktreePath)]);
      if (!isWithin(destinationFolder, worktree)) throw new Error('its destination leads outside the worktree');
      if ((await lstatOrNull(to))?.isSymbolicLink()) throw new Error('its destination is a symlink');
      await fs.promises.copyFile(from, to);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
      opts.record({ kind: 'note', text: `Could not copy ${file} into the worktree: ${why}.` });
    }
  }
}

async function lstatOrNull(file: string): Promise<fs.Stats | null> {
  try {
    return await fs.promises.lstat(file);
  } catch {
    return null;
  }
}

async function runScript(opts: ScriptRunOptions & { script: string; callId: string; label: string }): Promise<ScriptOutcome> {
  const started = Date.now();
  // Intent before action, as for the agent's commands.
  opts.record({ kind: 'command_started', callId: opts.callId, command: `${opts.label}: ${opts.script}` });
  try {
    const { spec, hiddenPaths, bwrapPath } = await opts.sandbox();
    // Pipes, the sandbox's environment allowlist (HOME is the task's), its own process group:
    // a stop, the time limit or the output cap ends everything the script started.
    const result = await runSandboxed(spec, opts.script, {
      onOutput: (chunk) => opts.record({ kind: 'command_output', callId: opts.callId, chunk }),
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      hiddenPaths,
      ...(bwrapPath ? { bwrapPath } : {}),
    });
    opts.record({ kind: 'command_finished', callId: opts.callId, exitCode: result.exitCode, durationMs: result.durationMs, isKilled: result.isKilled });
    return { kind: 'ran', exitCode: result.exitCode, isKilled: result.isKilled };
  } catch (error) {
    const reason = errorMessage(error);
    // It never ran: say why in its output, and close it so it is not "outcome unknown".
    opts.record({ kind: 'command_output', callId: opts.callId, chunk: `${reason}\n` });
    opts.record({ kind: 'command_finished', callId: opts.callId, exitCode: null, durationMs: Date.now() - started, isKilled: false });
    return error instanceof SandboxUnavailableError ? { kind: 'sandbox_unavailable', reason } : { kind: 'ran', exitCode: null, isKilled: false };
  }
}
