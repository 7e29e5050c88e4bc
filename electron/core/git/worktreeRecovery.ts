import fs from 'node:fs';
import path from 'node:path';
import { IGNORE_SUBMODULES } from './git.js';
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

/**
 * Paths with uncommitted changes (tracked or untracked) in the checkout or worktree at
 * `repoPath`. Read only: --no-optional-locks keeps git from refreshing the index, so the
 * user's own git never finds an index.lock of ours. Never looks inside a submodule (see
 * git.ts): a nested repository shows as one untracked folder. Throws when git cannot tell,
 * including when it does not finish within `timeoutMs`.
 */
export async function uncommittedPaths(repoPath: string, options: { isLowPriority?: boolean; timeoutMs?: number } = {}): Promise<string[]> {
  // Status may re-hash racily clean files through their clean filter: not the repo's own.
  const config = await repoDriverOverrides(repoPath);
  const out = await runGitOk(
    repoPath,
    ['--no-optional-locks', 'status', IGNORE_SUBMODULES, '--porcelain=v1', '-z', '--untracked-files=normal'],
    { ...options, config },
  );
  return parsePorcelainZ(out);
}

/** `git status --porcelain=v1 -z` → paths: "XY path\0"; a rename or copy (X or Y is R/C) is followed by its old path, not an entry. */
export function parsePorcelainZ(stdout: string): string[] {
  const entries = stdout.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    if (/[RC]/.test(entry.slice(0, 2))) i++;
  }
  return paths;
}

/**
 * Why a task can no longer use its repo, or null while it can: the repo's folder (or its
 * `.git`) is gone, deleted or moved, perhaps while the task ran. The worktree lives elsewhere
 * (in FLOTILLA_HOME), so the task's files are still there.
 */
export function repoGoneReason(repoPath: string, worktreePath: string): string | null {
  if (fs.existsSync(path.join(repoPath, '.git'))) return null;
  const kept = fs.existsSync(worktreePath) ? `; the task's files are kept in ${worktreePath}` : '';
  return `the repo ${repoPath} was deleted or moved${kept}`;
}
