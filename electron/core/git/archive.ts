import fs from 'node:fs';
import path from 'node:path';
import { failure, type Failure } from '../../../shared/contract.js';
import { FLOTILLA_IDENTITY } from './checkpoint.js';
import { gitDirsOf } from './gitDirs.js';
import { branchCommit, branchRef, isValidBranchName } from './refNames.js';
import { repoDriverOverrides, type ConfigOverrides } from './repoDrivers.js';
import { withRepoLock } from './repoLock.js';
import { firstLines, runGit, runGitOk } from './runGit.js';
import { stageWorktree } from './stageWorktree.js';
import { restoreTaskWorktree } from './worktreeRecovery.js';

/**
 * Archives: before Flotilla removes a task's worktree (merge, discard), everything in it that
 * is not ignored (committed, uncommitted and untracked files) is kept as one commit on a hidden
 * ref, `refs/flotilla/archive/<task-id>`, whose parent is the branch tip. A discard can then be
 * undone byte for byte, and nothing the user had not committed is lost to a click.
 */

/** Hidden refs: not branches, so `git branch`, pushes and the user's tools leave them alone. */
export const ARCHIVE_REF_PREFIX = 'refs/flotilla/archive/';

/** The ref a task's archive lives on; task ids are ours (no '/', no '..'), checked anyway. */
export function archiveRef(taskId: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(taskId)) throw new Error(`"${taskId}" cannot name an archive ref`);
  return `${ARCHIVE_REF_PREFIX}${taskId}`;
}

/**
 * Records the worktree at `worktreePath` on `archiveRef(taskId)` and returns the archive commit.
 * The worktree is about to be removed, so its index is used to stage (the files themselves are
 * not touched); `excludePaths` (files copied in from the user's checkout, e.g. `.env`) stay out
 * of the repo's objects. Nested repositories are archived as plain files (stageWorktree), never
 * entered. When the folder is gone already, the branch tip alone is archived; null when there is
 * neither folder nor branch. Throws on a git error: the caller must not remove anything then.
 */
export async function archiveWorktree(opts: {
  repoPath: string;
  worktreePath: string;
  branch: string;
  taskId: string;
  message: string;
  excludePaths?: readonly string[];
}): Promise<string | null> {
  const ref = archiveRef(opts.taskId);
  const root = path.resolve(opts.repoPath);
  // Every archive is one commit on top of the branch tip: its tree is the worktree as it was,
  // or (folder gone already) the tip's own tree.
  const hasWorktree = fs.existsSync(path.join(opts.worktreePath, '.git'));
  let cwd = root;
  let parent: string;
  let tree: string;
  let config: ConfigOverrides = [];
  if (hasWorktree) {
    cwd = (await runGitOk(opts.worktreePath, ['rev-parse', '--show-toplevel'])).trim();
    config = await repoDriverOverrides(cwd);
    await stageWorktree(cwd, { excludePaths: opts.excludePaths ?? [], config });
    parent = (await runGitOk(cwd, ['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
    tree = (await runGitOk(cwd, ['write-tree'], { config })).trim();
  } else {
    const tip = (await isValidBranchName(root, opts.branch)) ? await branchCommit(root, opts.branch) : null;
    if (!tip) return null;
    parent = tip;
    tree = (await runGitOk(root, ['rev-parse', '--verify', `${tip}^{tree}`])).trim();
  }
  const commit = (
    await runGitOk(cwd, ['commit-tree', '--no-gpg-sign', '-p', parent, '-F', '-', tree], {
      input: opts.message,
      config: [
        ...config,
        ['user.name', FLOTILLA_IDENTITY.name],
        ['user.email', FLOTILLA_IDENTITY.email],
      ],
    })
  ).trim();
  await runGitOk(cwd, ['update-ref', '-m', 'flotilla: archive', ref, commit]);
  return commit;
}

/** The archive commit of a task, or null when it has none (never archived, or pruned). */
export async function archiveCommit(repoPath: string, taskId: string): Promise<string | null> {
  const run = await runGit(repoPath, ['rev-parse', '--verify', '--quiet', `${archiveRef(taskId)}^{commit}`]);
  return run.exitCode === 0 ? run.stdout.trim() : null;
}

/**
 * Brings a discarded task's worktree back from its archive: the branch at the tip it had, the
 * worktree on it, and every uncommitted and untracked file with the bytes and mode it had
 * (as uncommitted changes again: the index is the branch's). Refuses, changing nothing, when the
 * branch name or the folder has been taken since.
 */
export async function restoreFromArchive(opts: {
  repoPath: string;
  worktreePath: string;
  branch: string;
  taskId: string;
}): Promise<{ ok: true } | Failure> {
  const root = path.resolve(opts.repoPath);
  const archived = await archiveCommit(root, opts.taskId);
  if (!archived) {
    return failure('not_found', `task ${opts.taskId} has no archive (it was never archived, or it is past the retention period)`);
  }
  if (!(await isValidBranchName(root, opts.branch))) return failure('bad_branch', `"${opts.branch}" is not a valid branch name`);
  // Every archive's parent is the branch tip it was taken from.
  const tip = (await runGitOk(root, ['rev-parse', '--verify', `${archived}^1`])).trim();
  if (fs.existsSync(opts.worktreePath) && fs.readdirSync(opts.worktreePath).length > 0) {
    return failure('invalid_state', `${opts.worktreePath} exists and is not empty; move it away, then restore again`);
  }
  const { commonDir } = await gitDirsOf(root);
  const branchMade = await withRepoLock(commonDir, async (): Promise<{ ok: true } | Failure> => {
    const current = await branchCommit(root, opts.branch);
    if (current === tip) return { ok: true };
    if (current !== null) {
      return failure('invalid_state', `the branch ${opts.branch} exists again and points elsewhere (${current.slice(0, 10)}); rename it, then restore again`);
    }
    // All zeros: create only, never overwrite a branch made meanwhile.
    const made = await runGit(root, ['update-ref', '-m', 'flotilla: restore', branchRef(opts.branch), tip, '0'.repeat(tip.length)]);
    return made.exitCode === 0 ? { ok: true } : failure('git_error', `could not recreate ${opts.branch}: ${firstLines(made.stderr, 1)}`);
  });
  if (!branchMade.ok) return branchMade;
  const added = await restoreTaskWorktree({ repoPath: root, worktreePath: opts.worktreePath, branch: opts.branch });
  if (!added.ok) return failure('git_error', `could not recreate the worktree: ${added.reason}`);
  const config = await repoDriverOverrides(opts.worktreePath);
  // Two-tree read-tree: moves the fresh checkout from the tip to the archive (adds, changes,
  // deletions, modes); then the index goes back to the tip, so the files show as uncommitted.
  await runGitOk(opts.worktreePath, ['read-tree', '-m', '-u', 'HEAD', archived], { config });
  await runGitOk(opts.worktreePath, ['read-tree', 'HEAD'], { config });
  return { ok: true };
}

/**
 * Deletes the archives of `repoPath` made more than `retentionDays` ago (by the archive commit's
 * committer date) and returns the task ids whose archive went.
 */
export async function pruneArchives(repoPath: string, retentionDays: number, now: number): Promise<string[]> {
  const out = await runGitOk(repoPath, ['for-each-ref', '--format=%(committerdate:unix) %(refname)', ARCHIVE_REF_PREFIX]);
  // ms per day; `now` in ms, git's dates in s.
  const cutoffSeconds = (now - retentionDays * 86_400_000) / 1000;
  const pruned: string[] = [];
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const when = Number(line.slice(0, space));
    const ref = line.slice(space + 1);
    if (!ref.startsWith(ARCHIVE_REF_PREFIX) || !(when < cutoffSeconds)) continue;
    const deleted = await runGit(repoPath, ['update-ref', '-d', ref]);
    if (deleted.exitCode === 0) pruned.push(ref.slice(ARCHIVE_REF_PREFIX.length));
  }
  return pruned;
}
