import fs from 'node:fs';
import path from 'node:path';
import { gitDirsOf } from './gitDirs.js';
import { withRepoLock } from './repoLock.js';
import { branchCommit, isValidBranchName } from './refNames.js';
import { firstLines, runGit, runGitOk } from './runGit.js';
import { repoDriverOverrides } from './repoDrivers.js';

/**
 * Recreates a task's worktree whose folder was deleted, from its branch (which holds every
 * checkpoint). Returns false when the branch is gone too.
 */
export async function restoreTaskWorktree(opts: { repoPath: string; worktreePath: string; branch: string }): Promise<{ ok: true } | { ok: false; reason: string }> {
  const root = path.resolve(opts.repoPath);
  if (!(await isValidBranchName(root, opts.branch)) || (await branchCommit(root, opts.branch)) === null) {
    return { ok: false, reason: `its branch ${opts.branch} no longer exists` };
  }
  const { commonDir } = await gitDirsOf(root);
  return withRepoLock(commonDir, async () => {
    // The stale record of the deleted folder would make git refuse the branch as "already checked out".
    await runGitOk(root, ['worktree', 'prune']);
    await fs.promises.mkdir(path.dirname(opts.worktreePath), { recursive: true });
    const add = await runGit(root, ['worktree', 'add', '--', opts.worktreePath, opts.branch], {
      config: await repoDriverOverrides(root),
    });
    return add.exitCode === 0 ? { ok: true as const } : { ok: false as const, reason: firstLines(add.stderr) };
  });
}

/** Drops git's records of worktrees whose folders are gone. */
export async function pruneWorktrees(repoPath: string): Promise<void> {
  const root = path.resolve(repoPath);
  const { commonDir } = await gitDirsOf(root);
  await withRepoLock(commonDir, () => runGitOk(root, ['worktree', 'prune']));
}

/** Paths with uncommitted changes (tracked or untracked) in the user's checkout at `repoPath`. */
export async function uncommittedPaths(repoPath: string): Promise<string[]> {
  const out = await runGitOk(repoPath, ['status', '--porcelain=v1', '-z', '--untracked-files=normal']);
  return out
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
}
