import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RepoSettings } from '../../../shared/model/task.js';
import type { TaskEventBody } from '../../../shared/model/taskEvents.js';
import { isSafeRelativePath } from '../repos/repoService.js';
import { isWithin } from '../sandbox/writablePaths.js';

/** The call id of the setup script in a task's journal; its success means "setup done". */
export const SETUP_CALL_ID = 'setup';
const CLEANUP_CALL_ID = 'cleanup';
/** 60 s: a cleanup script must not hold up a merge for long. */
const CLEANUP_TIMEOUT_MS = 60_000;
/** Model credentials never reach a repo script, even one the user wrote. */
const HIDDEN_ENV = /^(OPENAI_|ANTHROPIC_|FLOTILLA_)|(_API_KEY|_TOKEN|_SECRET)$/;

export interface ScriptOutcome {
  exitCode: number | null;
  isKilled: boolean;
}

/**
 * Prepares a new worktree: copies the configured files from the repo, then runs the repo's
 * setup script in it. The user wrote the script in Flotilla's settings (never in the repo),
 * so it runs as the user, with network, outside the agent sandbox; its output is journalled
 * like a command. Returns null when there was nothing to run.
 */
export async function prepareWorktree(opts: {
  repoPath: string;
  worktreePath: string;
  settings: RepoSettings;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal;
  record: (body: TaskEventBody) => void;
}): Promise<ScriptOutcome | null> {
  copyFiles(opts);
  if (opts.settings.setupScript.trim() === '') return null;
  return runScript({ ...opts, callId: SETUP_CALL_ID, label: 'setup script', script: opts.settings.setupScript });
}

/** Runs the repo's cleanup script (if any) in a worktree about to be removed. Failures are only noted. */
export async function cleanupWorktree(opts: {
  worktreePath: string;
  settings: RepoSettings;
  env: NodeJS.ProcessEnv;
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
  if (outcome.exitCode !== 0) opts.record({ kind: 'note', text: 'The cleanup script failed; the worktree was removed anyway.' });
}

function copyFiles(opts: { repoPath: string; worktreePath: string; settings: RepoSettings; record: (body: TaskEventBody) => void }): void {
  for (const file of opts.settings.copyFiles) {
    const from = path.join(opts.repoPath, file);
    const to = path.join(opts.worktreePath, file);
    if (!isSafeRelativePath(file)) continue;
    try {
      const stat = fs.lstatSync(from);
      // Regular files only: a symlink could point anywhere on the machine.
      if (!stat.isFile()) throw new Error('not a regular file (symlinks are not followed)');
      fs.mkdirSync(path.dirname(to), { recursive: true });
      // The destination must stay inside the worktree too, whatever links its folders hold.
      if (!isWithin(fs.realpathSync(path.dirname(to)), fs.realpathSync(opts.worktreePath))) {
        throw new Error('its destination leads outside the worktree');
      }
      if (fs.existsSync(to) && fs.lstatSync(to).isSymbolicLink()) throw new Error('its destination is a symlink');
      fs.copyFileSync(from, to);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
      opts.record({ kind: 'note', text: `Could not copy ${file} into the worktree: ${why}.` });
    }
  }
}

function runScript(opts: {
  worktreePath: string;
  script: string;
  callId: string;
  label: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal;
  record: (body: TaskEventBody) => void;
}): Promise<ScriptOutcome> {
  const started = Date.now();
  opts.record({ kind: 'command_started', callId: opts.callId, command: `${opts.label}: ${opts.script}` });
  return new Promise((resolve) => {
    const env = Object.fromEntries(Object.entries(opts.env).filter(([key]) => !HIDDEN_ENV.test(key)));
    // Own process group, so a stop or time-out ends everything the script started.
    const child = spawn('/bin/bash', ['-c', opts.script], { cwd: opts.worktreePath, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let isKilled = false;
    const kill = () => {
      isKilled = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(kill, opts.timeoutMs);
    opts.signal.addEventListener('abort', kill, { once: true });
    const onData = (chunk: string) => opts.record({ kind: 'command_output', callId: opts.callId, chunk });
    // Decoding per stream keeps a multi-byte character split across reads whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', kill);
      opts.record({ kind: 'command_finished', callId: opts.callId, exitCode, durationMs: Date.now() - started, isKilled });
      resolve({ exitCode, isKilled });
    };
    child.once('error', (error) => {
      opts.record({ kind: 'command_output', callId: opts.callId, chunk: `${error.message}\n` });
      finish(null);
    });
    child.once('close', (code) => finish(isKilled ? null : code));
  });
}
