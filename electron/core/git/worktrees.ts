import fs from 'node:fs';
import path from 'node:path';
import { failure, type Failure } from '../../../shared/contract.js';
import { hardenedGit } from './git.js';
import { gitDirsOf } from './gitDirs.js';
import { branchCommit, branchRef, describeBranches, isValidBranchName, localBranches } from './refNames.js';
import { repoDriverOverrides } from './repoDrivers.js';
import { inspectRepo } from './repoInspect.js';
import { withRepoLock } from './repoLock.js';
import { firstLines, runGit } from './runGit.js';
import { isSamePath, listWorktrees } from './worktreeList.js';

/** Every task branch lives under this prefix; only such branches are ever deleted. */
export const TASK_BRANCH_PREFIX = 'flotilla/';

/** Slugs are short enough to keep worktree paths and branch names readable (characters). */
const MAX_SLUG_LENGTH = 40;

/** After this many taken names (`-2` … `-N`) something is wrong; stop rather than loop on. */
const MAX_BRANCH_SUFFIX = 1000;

/**
 * A branch- and path-safe slug: lower-case ASCII letters, digits and single dashes, at most
 * 40 characters, never empty. Accents are dropped, not the letters ("Crème" -> "creme").
 */
export function slugify(text: string): string {
  const ascii = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const slug = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || 'task';
}

export type CreatedWorktree = { ok: true; branch: string; baseCommit: string } | Failure;

/**
 * Creates the task's worktree at `worktreePath` on a new branch `flotilla/<slug>` (or
 * `-2`, `-3`… when taken) started at the tip of `baseBranch` ('' means the branch checked
 * out in the repo). The user's checkout is not touched. Calls for one repo run one at a time.
 */
export async function createTaskWorktree(opts: {
  repoPath: string;
  worktreePath: string;
  slug: string;
  baseBranch: string;
}): Promise<CreatedWorktree> {
  const repo = await inspectRepo(opts.repoPath);
  if (!repo.ok) return repo;
  const root = repo.root;

  const wanted = `${TASK_BRANCH_PREFIX}${opts.slug}`;
  if (!(await isValidBranchName(root, wanted))) {
    return failure('invalid_input', `"${opts.slug}" cannot be used in a branch name; make it with slugify()`);
  }
  const baseBranch = opts.baseBranch || repo.currentBranch;
  if (baseBranch === '') {
    return failure('bad_branch', `${root} has a detached HEAD, so there is no current branch to start from; choose a base branch.`);
  }
  if (!(await isValidBranchName(root, baseBranch))) {
    return failure('bad_branch', `"${baseBranch}" is not a valid branch name. Branches in ${root}: ${describeBranches(await localBranches(root))}.`);
  }
  const worktreePath = path.resolve(opts.worktreePath);
  if (!isEmptyOrMissingDir(worktreePath)) {
    return failure('invalid_state', `${worktreePath} already exists and is not an empty folder; choose another place for the worktree.`);
  }

  const { commonDir } = await gitDirsOf(root);
  return withRepoLock(commonDir, async (): Promise<CreatedWorktree> => {
    const baseCommit = await branchCommit(root, baseBranch);
    if (!baseCommit) {
      return failure(
        'bad_branch',
        `Base branch "${baseBranch}" does not exist in ${root}. Branches: ${describeBranches(await localBranches(root))}.`,
      );
    }
    const branch = await freeBranchName(root, wanted);
    if (!branch) return failure('invalid_state', `Too many branches named ${wanted}-N in ${root}; delete some old ones.`);

    await fs.promises.mkdir(path.dirname(worktreePath), { recursive: true });
    // The start point is the commit, not the branch name: what we resolved is what we get,
    // and --no-track keeps the new branch from following the base.
    const add = await runGit(root, ['worktree', 'add', '--no-track', '-b', branch, '--', worktreePath, baseCommit], {
      // The checkout runs smudge filters: not the ones the repo's own config defines.
      config: await repoDriverOverrides(root),
    });
    if (add.exitCode !== 0) {
      await deleteBranchIfUnused(root, branch, baseCommit);
      return failure('git_error', `Could not create the worktree at ${worktreePath}: ${firstLines(add.stderr)}`);
    }
    return { ok: true, branch, baseCommit };
  });
}

/**
 * Removes the task's worktree (uncommitted changes in it included) and forgets it; with
 * `deleteBranch`, deletes its branch too (only ever a `flotilla/` branch). A folder that is
 * already gone is fine; a folder that is not a worktree of this repo is left alone.
 */
export async function removeTaskWorktree(opts: {
  repoPath: string;
  worktreePath: string;
  branch: string;
  deleteBranch: boolean;
}): Promise<void> {
  const root = path.resolve(opts.repoPath);
  if (opts.deleteBranch && !opts.branch.startsWith(TASK_BRANCH_PREFIX)) {
    throw new Error(`refusing to delete branch "${opts.branch}": Flotilla only deletes its own ${TASK_BRANCH_PREFIX}* branches`);
  }
  const { commonDir } = await gitDirsOf(root);
  await withRepoLock(commonDir, async () => {
    const git = hardenedGit(root);
    const worktreePath = path.resolve(opts.worktreePath);
    const registered = (await listWorktrees(root)).some((entry) => isSamePath(entry.path, worktreePath));
    if (registered && fs.existsSync(worktreePath)) {
      await git.raw(['worktree', 'remove', '--force', '--', worktreePath]);
    }
    // Drops the records of worktrees whose folder is gone (ours included, if it was deleted by hand).
    await git.raw(['worktree', 'prune']);
    if (opts.deleteBranch) {
      if (!(await isValidBranchName(root, opts.branch))) throw new Error(`"${opts.branch}" is not a valid branch name`);
      if ((await branchCommit(root, opts.branch)) !== null) {
        await git.raw(['branch', '--delete', '--force', '--', opts.branch]);
      }
    }
  });
}

/**
 * Absolute paths the sandbox must keep read-only for an agent working in `worktreePath`:
 * the worktree's `.git` pointer file, its own git dir (`…/.git/worktrees/<name>`) and the
 * repo's common git dir (hooks, config, refs, objects). Writing any of them would let the
 * agent plant something the user's git later runs.
 */
export async function gitPathsOfWorktree(worktreePath: string): Promise<string[]> {
  const given = path.resolve(worktreePath);
  const dirs = await gitDirsOf(given);
  const paths = [path.join(given, '.git'), path.join(dirs.topLevel, '.git'), dirs.gitDir, dirs.commonDir];
  // The given path and its realpath differ when a symlink is on the way: keep both views.
  return [...new Set(paths)].filter((p) => fs.existsSync(p));
}

/** `wanted`, or `wanted-2`, `wanted-3`… — the first name no branch (or branch folder) uses. */
async function freeBranchName(root: string, wanted: string): Promise<string | null> {
  for (let n = 1; n <= MAX_BRANCH_SUFFIX; n++) {
    const name = n === 1 ? wanted : `${wanted}-${n}`;
    // A branch "a/b" also blocks "a" (git stores refs as files and folders).
    const taken = await runGit(root, ['for-each-ref', '--count=1', '--format=x', branchRef(name), `${branchRef(name)}/`]);
    if (taken.exitCode === 0 && taken.stdout.trim() === '') return name;
  }
  return null;
}

/** Undoes the branch `worktree add -b` made before failing, if nothing uses it yet. */
async function deleteBranchIfUnused(root: string, branch: string, startCommit: string): Promise<void> {
  if ((await branchCommit(root, branch)) !== startCommit) return;
  const inUse = (await listWorktrees(root)).some((entry) => entry.branch === branchRef(branch));
  if (!inUse) await runGit(root, ['branch', '--delete', '--force', '--', branch]);
}

function isEmptyOrMissingDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory() && fs.readdirSync(p).length === 0;
  } catch {
    return !fs.existsSync(p);
  }
}
