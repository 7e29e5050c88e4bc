import { failure, type Failure } from '../../../shared/contract.js';
import { protectedFiles } from '../../../shared/model/protectedPaths.js';
import type { Task } from '../../../shared/model/task.js';
import { branchCommit } from '../git/refNames.js';
import { runGitOk } from '../git/runGit.js';
import type { RepoStore } from '../store/repoStore.js';

/**
 * The protected-path gate of a merge: the files the task would merge (its branch from the merge
 * base to `tip`, plus the uncommitted files the merge includes) that match the repo's protected
 * globs refuse the merge (`protected`, with `files`) until the user approves them explicitly.
 */
export async function protectedPathsRefusal(
  repos: Pick<RepoStore, 'get'>,
  task: Task,
  opts: { tip: string; isApproved: boolean; includedUncommitted: readonly string[] },
): Promise<Failure | null> {
  if (opts.isApproved) return null;
  const { files, patterns } = await touchedProtectedFiles(repos, task, opts.tip, opts.includedUncommitted);
  if (files.length === 0) return null;
  const count = files.length === 1 ? '1 protected file' : `${files.length} protected files`;
  return failure(
    'protected',
    `task ${task.id} changes ${count} (this repo's protected paths: ${patterns.join(', ')}); approve them explicitly (--approve-protected) to merge; nothing was changed`,
    files,
  );
}

/** The protected files the task would merge (sorted), and the repo's patterns; none when the repo protects nothing. */
export async function touchedProtectedFiles(
  repos: Pick<RepoStore, 'get'>,
  task: Task,
  tip: string,
  includedUncommitted: readonly string[] = [],
): Promise<{ files: string[]; patterns: string[] }> {
  const patterns = repos.get(task.repoId)?.settings.protectedPaths ?? [];
  if (patterns.length === 0) return { files: [], patterns };
  const touched = protectedFiles([...(await changedFiles(task, tip)), ...includedUncommitted], patterns);
  return { files: [...new Set(touched)].sort(), patterns };
}

/** Paths the branch changes since it left its base (both sides of a rename), `/`-separated. */
async function changedFiles(task: Task, tip: string): Promise<string[]> {
  const base = await branchCommit(task.repoPath, task.baseBranch);
  if (!base) return [];
  const mergeBase = (await runGitOk(task.repoPath, ['merge-base', base, tip])).trim();
  const out = await runGitOk(task.repoPath, ['diff', '--no-ext-diff', '--no-textconv', '--name-status', '--no-renames', '-z', mergeBase, tip, '--']);
  // -z --name-status: STATUS NUL PATH NUL …; without renames every entry has one path.
  const fields = out.split('\0').filter((field) => field !== '');
  return fields.filter((_, index) => index % 2 === 1);
}
