import { failure, type Failure } from '../../../shared/contract.js';
import type { Repo, Task } from '../../../shared/model/task.js';
import { pruneArchives, restoreFromArchive } from '../git/archive.js';
import { repoGoneReason } from '../git/worktreeRecovery.js';
import type { TaskStore } from '../store/taskStore.js';
import { errorMessage } from '../util/errorMessage.js';
import type { TaskTransitions } from './taskTransitions.js';
import { copyFiles } from './worktreeSetup.js';

/**
 * Undoing a discard: the task comes back to Review with its branch, its worktree and every
 * uncommitted and untracked file exactly as they were (from refs/flotilla/archive/<task-id>).
 */
export async function restoreTask(
  deps: { transitions: TaskTransitions; repos: { get(id: string): Repo | undefined } },
  task: Task,
): Promise<{ ok: true; task: Task } | Failure> {
  if (task.status !== 'discarded') {
    const why = task.status === 'merged' ? 'it was merged; its work is on ' + task.baseBranch : 'it was not discarded';
    return failure('invalid_state', `task ${task.id} is ${task.status}; only a discarded task can be restored (${why})`);
  }
  const repoGone = repoGoneReason(task.repoPath, task.worktreePath);
  if (repoGone) return failure('repo_missing', `task ${task.id} cannot be restored: ${repoGone}`);
  const restored = await restoreFromArchive({ repoPath: task.repoPath, worktreePath: task.worktreePath, branch: task.branch, taskId: task.id });
  if (!restored.ok) return restored;
  // Archives never hold the files copied in from the user's checkout (.env…): copied again.
  const repo = deps.repos.get(task.repoId);
  if (repo) await copyFiles({ repoPath: repo.path, worktreePath: task.worktreePath, settings: repo.settings, record: (body) => deps.transitions.record(task.id, body) });
  deps.transitions.record(task.id, { kind: 'note', text: 'Restored from its archive: worktree, branch and uncommitted files as they were when it was discarded.' });
  return { ok: true, task: deps.transitions.move(task.id, 'review', 'restored after a discard') };
}

/**
 * Drops the archives older than the retention period in the repos of `tasks`, and forgets them on
 * their tasks (no more "Restore"). Failures are reported, never thrown: pruning is housekeeping.
 */
export async function pruneOldArchives(
  deps: { tasks: Pick<TaskStore, 'list' | 'update'>; retentionDays: number; now: number },
): Promise<string[]> {
  const archivedTasks = deps.tasks.list().filter((task) => task.archivedAt != null);
  const repos = [...new Set(archivedTasks.map((task) => task.repoPath))];
  const pruned: string[] = [];
  for (const repoPath of repos) {
    if (repoGoneReason(repoPath, '') !== null) continue;
    try {
      pruned.push(...(await pruneArchives(repoPath, deps.retentionDays, deps.now)));
    } catch (error) {
      console.error(`flotilla: could not prune old archives in ${repoPath}: ${errorMessage(error)}`);
    }
  }
  const gone = new Set(pruned);
  for (const task of archivedTasks) if (gone.has(task.id)) deps.tasks.update(task.id, { archivedAt: null });
  return pruned;
}
