import fs from 'node:fs';
import path from 'node:path';
import type { RepoSettings, Task } from '../../../shared/model/task.js';
import { gitPathsOfWorktree } from '../git/worktrees.js';
import { hostSocketPaths } from '../sandbox/hostSecrets.js';
import type { SandboxSpec } from '../sandbox/sandboxSpec.js';

/** What a task's repo adds to its sandbox (Settings → Repos → Sandbox). */
export type RepoSandboxSettings = Pick<RepoSettings, 'unixSockets' | 'homeReadOnlyPaths'>;

/**
 * The sandbox a task's commands get (the agent's and the interactive terminal's alike): its
 * policy, plus what the user granted for the task and allowlisted for its repo, around its own
 * worktree and HOME. `repo` undefined (the repo was removed from Flotilla): nothing allowlisted.
 */
export async function taskSandboxSpec(task: Task, home: string, repo: RepoSandboxSettings | undefined): Promise<SandboxSpec> {
  if (!fs.existsSync(task.worktreePath)) throw new Error(`the worktree ${task.worktreePath} is missing`);
  // Per-task HOME outside the worktree: tools may write caches there without touching the repo.
  const homeDir = path.join(home, 'task-homes', task.id);
  fs.mkdirSync(homeDir, { recursive: true, mode: 0o700 });
  return {
    mode: task.policy.mode,
    worktreePath: task.worktreePath,
    readOnlyPaths: await gitPathsOfWorktree(task.worktreePath),
    extraWritablePaths: task.policy.extraWritablePaths,
    homeDir,
    allowNetwork: task.policy.allowNetwork,
    unixSockets: repo?.unixSockets ?? [],
    homeReadOnlyPaths: repo?.homeReadOnlyPaths ?? [],
  };
}

/** Where a repo's setup or cleanup script runs, and what runSandboxed needs besides the spec. */
export interface ScriptSandbox {
  spec: SandboxSpec;
  hiddenPaths: string[];
  /** A bubblewrap installed somewhere unusual (FLOTILLA_BWRAP); unset: the default lookup. */
  bwrapPath?: string;
}

/**
 * The sandbox of a repo's setup and cleanup scripts: the task's own, because the worktree they
 * run in holds what the agent wrote (a Makefile, package.json scripts…), with two differences:
 * - the worktree is writable even for a `read-only` task (the user's `npm ci` must write it);
 *   a `full-access` task's scripts run without a sandbox, as its commands do;
 * - network when the repo allows it for scripts, or when the task itself has it.
 */
export async function scriptSandbox(task: Task, repo: RepoSettings, home: string, env: NodeJS.ProcessEnv): Promise<ScriptSandbox> {
  const spec = await taskSandboxSpec(task, home, repo);
  return {
    spec: {
      ...spec,
      mode: task.policy.mode === 'full-access' ? 'full-access' : 'workspace-write',
      allowNetwork: repo.scriptNetwork || task.policy.allowNetwork,
    },
    hiddenPaths: taskHiddenPaths(home, env),
    ...(env.FLOTILLA_BWRAP ? { bwrapPath: env.FLOTILLA_BWRAP } : {}),
  };
}

/**
 * Hidden from every sandboxed command: everything Flotilla keeps (database, other tasks'
 * worktrees) and the agent sockets, which a read-only mount would still let a command connect to.
 */
export function taskHiddenPaths(home: string, env: NodeJS.ProcessEnv): string[] {
  return [home, ...hostSocketPaths(env)];
}
