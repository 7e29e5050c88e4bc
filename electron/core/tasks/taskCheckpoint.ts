import type { Task } from '../../../shared/model/task.js';
import { checkpointCommit } from '../git/checkpoint.js';
import { conflictMarkersLeft, conflictMarkersReason } from '../git/conflictMarkers.js';
import { branchCommit } from '../git/refNames.js';
import type { RepoStore } from '../store/repoStore.js';
import { errorMessage } from '../util/errorMessage.js';
import type { TaskTransitions } from './taskTransitions.js';

/**
 * Checkpoint commits of a task's worktree: after every turn (so every turn has a diff and can be
 * undone) and before a merge (so what was edited by hand goes in too).
 */

/** Commits whatever changed in the worktree, except the files copied in from the user's checkout. */
export function checkpointTask(repos: Pick<RepoStore, 'get'>, task: Task, message: string): ReturnType<typeof checkpointCommit> {
  return checkpointCommit({
    worktreePath: task.worktreePath,
    message,
    // Files copied in from the user's checkout (.env…) are local config, not the agent's work.
    excludePaths: repos.get(task.repoId)?.settings.copyFiles ?? [],
  });
}

/** Commits whatever the agent changed in its turn and journals it; a failure is journalled, never thrown. */
export async function checkpointTurn(deps: { repos: Pick<RepoStore, 'get'>; transitions: TaskTransitions }, task: Task, turn: number): Promise<void> {
  try {
    const result = await checkpointTask(deps.repos, task, `flotilla: turn ${turn} of "${task.title}"`);
    if (!result) return;
    deps.transitions.record(task.id, { kind: 'checkpoint', commit: result.commit, filesChanged: result.filesChanged, turn });
    if (result.plainFolders.length > 0) deps.transitions.record(task.id, { kind: 'note', text: plainFoldersNote(result.plainFolders) });
  } catch (error) {
    deps.transitions.record(task.id, { kind: 'error', message: `checkpoint commit failed: ${errorMessage(error)}` });
  }
}

/**
 * After a turn that ended well: the Needs-you reason when files of a Resolve with agent still hold
 * conflict markers on the branch (so the task does not land in Review looking mergeable), else
 * null. A git failure here is journalled and counts as none: the merge checks again.
 */
export async function conflictMarkersAfterTurn(deps: { transitions: TaskTransitions }, task: Task): Promise<string | null> {
  try {
    const tip = await branchCommit(task.repoPath, task.branch);
    const files = tip ? await conflictMarkersLeft(task.repoPath, tip, task.baseBranch) : [];
    if (files.length === 0) return null;
    return `${conflictMarkersReason(files)}; ask the agent again, or fix them in the task's terminal and send a follow-up`;
  } catch (error) {
    deps.transitions.record(task.id, { kind: 'error', message: `could not check for conflict markers: ${errorMessage(error)}` });
    return null;
  }
}

/** Says that folders with a repository of their own went into the checkpoint as plain files. */
export function plainFoldersNote(folders: readonly string[]): string {
  const shown = folders.slice(0, 3).join(', ') + (folders.length > 3 ? ` and ${folders.length - 3} more` : '');
  return (
    `${folders.length === 1 ? 'A folder' : `${folders.length} folders`} (${shown}) held a git repository of ${folders.length === 1 ? 'its' : 'their'} own: ` +
    'the files were committed as plain files; the nested .git was not (Flotilla never commits or runs git inside a repository the agent made).'
  );
}
