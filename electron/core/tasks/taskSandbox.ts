import fs from 'node:fs';
import path from 'node:path';
import type { Task } from '../../../shared/model/task.js';
import { gitPathsOfWorktree } from '../git/worktrees.js';
import { hostSocketPaths } from '../sandbox/hostSecrets.js';
import type { SandboxSpec } from '../sandbox/sandboxSpec.js';

/**
 * The sandbox a task's commands get (the agent's and the interactive terminal's alike): its
 * policy, plus what the user granted for the task, around its own worktree and HOME.
 */
export async function taskSandboxSpec(task: Task, home: string): Promise<SandboxSpec> {
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
  };
}

/**
 * Hidden from every sandboxed command: everything Flotilla keeps (database, other tasks'
 * worktrees) and the agent sockets, which a read-only mount would still let a command connect to.
 */
export function taskHiddenPaths(home: string, env: NodeJS.ProcessEnv): string[] {
  return [home, ...hostSocketPaths(env)];
}
