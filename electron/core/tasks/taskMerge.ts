import type { Failure } from '../../../shared/contract.js';
import type { MergeStrategy, Task } from '../../../shared/model/task.js';
import { mergeTaskBranch } from '../git/merge.js';
import { removeTaskWorktree } from '../git/worktrees.js';
import { checkpointTask } from './taskCheckpoint.js';
import { cleanUpTask, type TaskScriptDeps } from './taskScripts.js';

/**
 * Merging a task into its base branch: what is left uncommitted in the worktree goes in too,
 * then the merge (a conflict changes nothing, see git/merge.ts), the repo's cleanup script,
 * and the worktree's removal (after a squash its branch too: the base holds its work as one
 * new commit). Git errors are thrown: the caller says whether the repo itself is the problem.
 */
export async function mergeTask(
  deps: TaskScriptDeps & { beforeRemoveWorktree: (taskId: string) => void },
  task: Task,
  strategy: MergeStrategy,
): Promise<{ ok: true; commit: string; task: Task } | Failure> {
  // Anything left uncommitted in the worktree (e.g. edited by hand) goes in too.
  await checkpointTask(deps.repos, task, `flotilla: changes before merging "${task.title}"`);
  const merged = await mergeTaskBranch({
    repoPath: task.repoPath,
    branch: task.branch,
    baseBranch: task.baseBranch,
    strategy,
    message: strategy === 'squash' ? `${task.title}\n\n${task.prompt}` : `Merge ${task.branch}: ${task.title}`,
  });
  if (!merged.ok) return merged;
  await cleanUpTask(deps, task);
  deps.beforeRemoveWorktree(task.id);
  await removeTaskWorktree({
    repoPath: task.repoPath,
    worktreePath: task.worktreePath,
    branch: task.branch,
    deleteBranch: strategy === 'squash',
  });
  deps.transitions.record(task.id, { kind: 'merged', commit: merged.commit, strategy });
  const done = deps.transitions.move(task.id, 'merged', null, { mergeCommit: merged.commit, mergeStrategy: strategy });
  return { ok: true, commit: merged.commit, task: done };
}
