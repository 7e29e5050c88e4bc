import fs from 'node:fs';
import path from 'node:path';
import { canTransition, isFinal } from '../../../shared/model/taskLifecycle.js';
import { pruneWorktrees, restoreTaskWorktree } from '../git/worktreeRecovery.js';
import type { RepoStore } from '../store/repoStore.js';
import type { TaskStore } from '../store/taskStore.js';
import type { TaskTransitions } from './taskTransitions.js';
import { errorMessage } from '../util/errorMessage.js';

export interface ReconcileReport {
  /** Worktrees recreated from their task's branch. */
  restored: string[];
  /** Folders under FLOTILLA_HOME/worktrees that belong to no task: reported, never deleted. */
  unknown: string[];
}

/**
 * Brings the bookkeeping in line with the disk at start-up: stale git records are pruned, a
 * task whose worktree folder vanished gets it back from its branch (or is marked failed when
 * the branch is gone too), and folders nobody owns are reported. Nothing is ever deleted.
 */
export async function reconcileWorktrees(deps: {
  home: string;
  repos: RepoStore;
  tasks: TaskStore;
  transitions: TaskTransitions;
}): Promise<ReconcileReport> {
  const report: ReconcileReport = { restored: [], unknown: [] };
  const live = deps.tasks.list().filter((task) => !isFinal(task.status));
  for (const repo of deps.repos.list()) {
    if (!fs.existsSync(repo.path)) continue;
    try {
      await pruneWorktrees(repo.path);
    } catch (error) {
      console.error(`flotilla: could not prune worktrees of ${repo.path}: ${errorMessage(error)}`);
    }
  }
  for (const task of live) {
    if (fs.existsSync(task.worktreePath) || !fs.existsSync(task.repoPath)) continue;
    const restored = await restoreTaskWorktree({ repoPath: task.repoPath, worktreePath: task.worktreePath, branch: task.branch }).catch(
      (error: unknown) => ({ ok: false as const, reason: errorMessage(error) }),
    );
    if (restored.ok) {
      report.restored.push(task.worktreePath);
      deps.transitions.record(task.id, { kind: 'note', text: `The worktree folder was missing; it was recreated from branch ${task.branch}.` });
    } else if (canTransition(task.status, 'failed')) {
      deps.transitions.move(task.id, 'failed', `the worktree ${task.worktreePath} is gone and could not be recreated: ${restored.reason}`);
    }
  }
  const owned = new Set(deps.tasks.list().map((task) => path.resolve(task.worktreePath)));
  const root = path.join(deps.home, 'worktrees');
  for (const repoDir of safeReaddir(root)) {
    for (const dir of safeReaddir(path.join(root, repoDir))) {
      const full = path.join(root, repoDir, dir);
      if (!owned.has(full)) report.unknown.push(full);
    }
  }
  if (report.unknown.length > 0) {
    console.error(`flotilla: ${report.unknown.length} folder(s) under ${root} belong to no task; left untouched: ${report.unknown.join(', ')}`);
  }
  return report;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}
