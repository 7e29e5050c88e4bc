import { failure, type Failure } from '../../../shared/contract.js';
import { FLOTILLA_IDENTITY } from './checkpoint.js';
import { conflictsTrailer } from './conflictMarkers.js';
import { branchCommit, branchRef } from './refNames.js';
import { repoDriverOverrides } from './repoDrivers.js';
import { firstLines, runGit, runGitOk } from './runGit.js';
import { uncommittedPaths } from './worktreeRecovery.js';

/**
 * The first half of "Resolve with agent": merges the base branch into the task branch in the
 * task's own worktree, conflicts and all, so that the agent's next turn can resolve them. The
 * merge is committed at once (parents: the task tip, then the base) with git's conflict markers
 * in the conflicting files: the worktree is never left mid-merge (no MERGE_HEAD, nothing for the
 * agent's sandbox to trip on), and once the agent's turn is checkpointed on top, the base is an
 * ancestor of the task branch, so merging the task is clean. Nothing changes when the worktree
 * holds uncommitted work or nothing conflicts. Returns the conflicting files.
 */
export async function mergeBaseIntoTask(opts: {
  repoPath: string;
  worktreePath: string;
  branch: string;
  baseBranch: string;
}): Promise<{ ok: true; files: string[]; commit: string } | Failure> {
  const { repoPath, worktreePath, branch, baseBranch } = opts;
  const [tip, base] = await Promise.all([branchCommit(repoPath, branch), branchCommit(repoPath, baseBranch)]);
  if (!tip || !base) return failure('bad_branch', `${tip ? baseBranch : branch} does not exist in ${repoPath}`);
  const dirty = await uncommittedPaths(worktreePath);
  if (dirty.length > 0) {
    return failure('uncommitted', `the task's worktree has uncommitted changes; commit or discard them, then resolve again`, dirty);
  }
  const config = await repoDriverOverrides(repoPath);
  const merged = await runGit(repoPath, ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', tip, base], { config });
  const [tree = '', ...conflicted] = merged.stdout.split('\0').filter((field) => field !== '');
  if (merged.exitCode === 0) return failure('invalid_state', `${branch} merges into ${baseBranch} without conflicts; there is nothing to resolve`);
  if (merged.exitCode !== 1 || !/^[0-9a-f]{40,64}$/.test(tree)) {
    return failure('git_error', `could not merge ${baseBranch} into ${branch}: ${firstLines(merged.stderr)}`);
  }
  const files = [...new Set(conflicted)].sort();
  // The trailer lets any later check find the files whose markers must be gone (conflictMarkers.ts).
  const message = `flotilla: merge ${baseBranch} into ${branch}, conflicts in ${files.join(', ')} marked for the agent\n\n${conflictsTrailer(files)}\n`;
  const commit = (
    await runGitOk(repoPath, ['commit-tree', '--no-gpg-sign', '-p', tip, '-p', base, '-F', '-', tree], {
      input: message,
      config: [
        ['user.name', FLOTILLA_IDENTITY.name],
        ['user.email', FLOTILLA_IDENTITY.email],
      ],
    })
  ).trim();
  // The branch moves only if it is still at the tip read above; then the worktree follows it
  // (two-tree read-tree from the old tip: files, modes and deletions, index included).
  await runGitOk(repoPath, ['update-ref', '-m', `flotilla: merge ${baseBranch} for the agent to resolve`, branchRef(branch), commit, tip]);
  await runGitOk(worktreePath, ['read-tree', '-m', '-u', tip, commit], { config: await repoDriverOverrides(worktreePath) });
  return { ok: true, files, commit };
}

/** What the agent is asked to do in the resolving turn. */
export function resolvePrompt(baseBranch: string, files: readonly string[]): string {
  return [
    `${baseBranch} has changed since you started, and your work conflicts with it in: ${files.join(', ')}.`,
    `Flotilla has merged ${baseBranch} into your branch; each conflict is marked in those files with <<<<<<<, ======= and >>>>>>> lines`,
    `(your side first, then ${baseBranch}'s). Resolve every conflict so that both sides' intent is kept, remove all the markers,`,
    'and check that the project still builds and its tests pass. Do not run git: Flotilla commits your changes.',
  ].join(' ');
}
