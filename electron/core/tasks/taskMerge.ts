import fs from 'node:fs';
import path from 'node:path';
import { failure, type Failure } from '../../../shared/contract.js';
import type { TaskDiff } from '../../../shared/model/diff.js';
import type { MergeStrategy, Task } from '../../../shared/model/task.js';
import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import { conflictMarkersLeft, conflictMarkersReason } from '../git/conflictMarkers.js';
import { mergeTaskBranch } from '../git/merge.js';
import { branchCommit } from '../git/refNames.js';
import { repoDriverOverrides } from '../git/repoDrivers.js';
import { runGit, runGitOk } from '../git/runGit.js';
import { uncommittedPaths } from '../git/worktreeRecovery.js';
import { worktreeDiff } from '../git/worktreeDiff.js';
import { removeTaskWorktree } from '../git/worktrees.js';
import { protectedPathsRefusal } from '../review/protectedGate.js';
import type { RepoStore } from '../store/repoStore.js';
import { draftSquashMessage, mergeCommitMessage } from './mergeMessage.js';
import { errorMessage } from '../util/errorMessage.js';
import { checkpointTask } from './taskCheckpoint.js';
import { cleanUpTask, type TaskScriptDeps } from './taskScripts.js';

export interface MergeRequest {
  strategy: MergeStrategy;
  /** The squash or merge commit's message; omitted: Flotilla's draft. */
  message?: string | undefined;
  /** The tip the user reviewed; the merge is refused (`changed`) if the branch moved since. */
  expectedTip?: string | undefined;
  /** Merge the worktree's uncommitted files too (committed first); else they refuse the merge. */
  includeUncommitted: boolean;
  /** The user approved the repo's protected paths this task touches; without it they refuse the merge (`protected`). */
  approveProtected?: boolean | undefined;
}

export type MergeDeps = TaskScriptDeps & {
  /** Ends what still runs in the worktree (the task's terminals) before it is archived and removed. */
  beforeRemoveWorktree: (taskId: string) => void;
  /** The task's journal, for the drafted squash message. */
  eventsOf: (taskId: string) => TaskEvent[];
  /**
   * A last word before anything changes, e.g. protected paths not yet approved; a Failure refuses
   * the merge. (Protected paths plug in here.)
   */
  checkBeforeMerge?: (task: Task, tip: string) => Promise<Failure | null>;
};

/**
 * Merging a task into its base branch, exactly as it was reviewed: the branch must still be at
 * the tip the user saw, and uncommitted files in the worktree (written after the review, from
 * the task's shell…) refuse the merge unless the user includes them. Then the merge (a conflict
 * changes nothing, see git/merge.ts), the worktree's archive, the repo's cleanup script and the
 * worktree's removal (after a squash or rebase its branch too: the base holds its work as new
 * commits, and the archive ref keeps the old ones). Git errors are thrown: the caller says
 * whether the repo itself is the problem.
 */
export async function mergeTask(deps: MergeDeps, task: Task, request: MergeRequest): Promise<{ ok: true; commit: string; task: Task } | Failure> {
  const { strategy } = request;
  const tip = await branchCommit(task.repoPath, task.branch);
  if (!tip) return failure('bad_branch', `the task branch ${task.branch} no longer exists in ${task.repoPath}`);
  if (request.expectedTip !== undefined && request.expectedTip !== tip) {
    return failure(
      'changed',
      `${task.branch} moved since you reviewed it (now ${tip.slice(0, 10)}, you saw ${request.expectedTip.slice(0, 10)}); nothing was changed. Review it again, then merge.`,
    );
  }
  const uncommitted = await uncommittedWork(deps.repos, task);
  if (uncommitted.length > 0 && !request.includeUncommitted) {
    return failure(
      'uncommitted',
      `task ${task.id} has uncommitted changes nobody reviewed in ${uncommitted.length === 1 ? '1 file' : `${uncommitted.length} files`}; ` +
        'include them explicitly (--include-uncommitted), or review them first; nothing was changed',
      uncommitted,
    );
  }
  const included = request.includeUncommitted ? uncommitted : [];
  const refused =
    (await protectedPathsRefusal(deps.repos, task, { tip, isApproved: request.approveProtected === true, includedUncommitted: included })) ??
    (await deps.checkBeforeMerge?.(task, tip));
  if (refused) return refused;

  let reviewedTip = tip;
  if (uncommitted.length > 0) {
    const checkpoint = await checkpointTask(deps.repos, task, `flotilla: uncommitted changes included in the merge of "${task.title}"`);
    if (checkpoint) reviewedTip = checkpoint.commit;
  }
  // What is merged must not hold the markers of a Resolve with agent (checked after the included files are committed).
  const markers = await conflictMarkersLeft(task.repoPath, reviewedTip, task.baseBranch);
  if (markers.length > 0) {
    if (reviewedTip !== tip) await undoCheckpoint(task.worktreePath, reviewedTip, tip);
    return failure('conflict', `${conflictMarkersReason(markers)}; nothing was changed`, markers);
  }
  const message = request.message?.trim() ? request.message : defaultMessage(deps, task, strategy);
  const merged = await mergeTaskBranch({
    repoPath: task.repoPath,
    branch: task.branch,
    baseBranch: task.baseBranch,
    strategy,
    message,
    expectedTip: reviewedTip,
  });
  if (!merged.ok) {
    // A refused merge changes nothing, the task included: its files go back to uncommitted.
    if (reviewedTip !== tip) await undoCheckpoint(task.worktreePath, reviewedTip, tip);
    return merged;
  }
  deps.beforeRemoveWorktree(task.id);
  const archived = await removeTaskWorktree({
    repoPath: task.repoPath,
    worktreePath: task.worktreePath,
    branch: task.branch,
    deleteBranch: strategy !== 'merge',
    archive: { taskId: task.id, message: `flotilla: archive of "${task.title}" before its merge`, excludePaths: copiedFiles(deps.repos, task) },
    beforeRemove: () => cleanUpTask(deps, task),
  });
  deps.transitions.record(task.id, { kind: 'merged', commit: merged.commit, strategy });
  const done = deps.transitions.move(task.id, 'merged', null, {
    mergeCommit: merged.commit,
    mergeStrategy: strategy,
    archivedAt: archived ? Date.now() : null,
  });
  return { ok: true, commit: merged.commit, task: done };
}

/**
 * Takes back the checkpoint made for a merge that was then refused: the branch returns to the
 * tip (only if it is still at the checkpoint) and the index with it, while the files stay as
 * they are, uncommitted again.
 */
async function undoCheckpoint(worktreePath: string, checkpoint: string, tip: string): Promise<void> {
  const moved = await runGit(worktreePath, ['update-ref', '-m', 'flotilla: merge refused, checkpoint taken back', 'HEAD', tip, checkpoint]);
  if (moved.exitCode === 0) await runGitOk(worktreePath, ['read-tree', tip], { config: await repoDriverOverrides(worktreePath) });
}

/** What the merge dialog shows before merging: the tip it reviews, the work not committed, the drafted message. */
export async function mergePreview(
  deps: Pick<MergeDeps, 'repos' | 'eventsOf'>,
  task: Task,
  strategy: MergeStrategy,
): Promise<{ tip: string | null; uncommitted: string[]; message: string }> {
  const [tip, uncommitted] = await Promise.all([branchCommit(task.repoPath, task.branch), uncommittedWork(deps.repos, task)]);
  return { tip, uncommitted, message: defaultMessage(deps, task, strategy) };
}

/**
 * Paths with uncommitted changes in the task's worktree (tracked or untracked, not ignored),
 * except the files Flotilla copied in from the user's checkout. [] when the worktree is gone.
 */
export async function uncommittedWork(repos: Pick<RepoStore, 'get'>, task: Task): Promise<string[]> {
  if (!fs.existsSync(path.join(task.worktreePath, '.git'))) return [];
  const copied = new Set(copiedFiles(repos, task));
  return (await uncommittedPaths(task.worktreePath)).filter((file) => !copied.has(file));
}

/**
 * The uncommitted files of a task's worktree and, when `withContents`, what they change against
 * the branch tip (worktreeDiff; an empty diff when nothing is uncommitted). The contents are
 * left out, with the paths still listed, when the worktree cannot be staged for a look (git
 * failed or timed out there): the branch's own diff must not fail because of them.
 */
export async function uncommittedChanges(
  repos: Pick<RepoStore, 'get'>,
  task: Task,
  withContents: boolean,
): Promise<{ uncommitted: string[]; uncommittedDiff?: TaskDiff }> {
  const uncommitted = await uncommittedWork(repos, task);
  if (!withContents || !fs.existsSync(path.join(task.worktreePath, '.git'))) return { uncommitted };
  try {
    if (uncommitted.length === 0) {
      const [tip = '', tree = ''] = (await runGitOk(task.worktreePath, ['rev-parse', 'HEAD^{commit}', 'HEAD^{tree}'])).split('\n');
      return { uncommitted, uncommittedDiff: { fromCommit: tip, toCommit: tree, files: [] } };
    }
    return { uncommitted, uncommittedDiff: await worktreeDiff({ worktreePath: task.worktreePath, excludePaths: copiedFiles(repos, task) }) };
  } catch (error) {
    console.error(`flotilla: could not read the uncommitted changes of task ${task.id}: ${errorMessage(error)}`);
    return { uncommitted };
  }
}

/** Files copied into each worktree from the user's checkout (.env…): local config, never archived or merged. */
export function copiedFiles(repos: Pick<RepoStore, 'get'>, task: Task): readonly string[] {
  return repos.get(task.repoId)?.settings.copyFiles ?? [];
}

function defaultMessage(deps: Pick<MergeDeps, 'eventsOf'>, task: Task, strategy: MergeStrategy): string {
  return strategy === 'squash' ? draftSquashMessage(task, deps.eventsOf(task.id)) : mergeCommitMessage(task);
}
