import fs from 'node:fs';
import path from 'node:path';
import { failure, type Failure } from '../../../shared/contract.js';
import { archiveWorktree } from './archive.js';
import { gitDirsOf } from './gitDirs.js';
import { branchCommit, branchRef, describeBranches, isValidBranchName, localBranches } from './refNames.js';
import { repoDriverOverrides } from './repoDrivers.js';
import { inspectRepo } from './repoInspect.js';
import { withRepoLock } from './repoLock.js';
import { firstLines, runGit, runGitOk } from './runGit.js';
import { uncommittedPaths } from './worktreeRecovery.js';
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

export type CreatedWorktree =
  | {
      ok: true;
      branch: string;
      /** The branch it started from: `baseBranch`, or the one checked out when that was ''. */
      baseBranch: string;
      baseCommit: string;
      /**
       * With `listUncommitted`, when the task starts from the branch checked out in the repo:
       * the paths with uncommitted changes there, which the new worktree does not have ([]
       * otherwise, or when git cannot tell). A promise, never rejected: `git status` of a big
       * checkout takes a while, and the agent need not wait for it.
       */
      uncommitted: Promise<string[]>;
    }
  | Failure;

/**
 * Creates the task's worktree at `worktreePath` on a new branch `flotilla/<slug>` (or
 * `-2`, `-3`… when taken) started at the tip of `baseBranch` ('' means the branch checked
 * out in the repo). The user's checkout is not touched. Calls for one repo run one at a time.
 *
 * It sits on the path from "new task" to "agent started", so around `git worktree add` (the
 * real cost: ~0.8 s for 50,000 files) it spends as few git calls as it can: up to 5 independent
 * ones at once (inspection, name checks, the repo's drivers), then one `for-each-ref` for the
 * base and every taken name; `git status` of the checkout (if asked) is left running after.
 */
export async function createTaskWorktree(opts: {
  repoPath: string;
  worktreePath: string;
  slug: string;
  baseBranch: string;
  /** Also list the checkout's uncommitted paths (see `uncommitted`). */
  listUncommitted?: boolean;
}): Promise<CreatedWorktree> {
  const wanted = `${TASK_BRANCH_PREFIX}${opts.slug}`;
  const worktreePath = path.resolve(opts.worktreePath);
  // git cannot run in a missing folder: inspectRepo reports that one, the others stand down.
  const inRepo = <T>(read: () => Promise<T>, fallback: T): Promise<T> => read().catch(() => fallback);
  const [repo, isWantedValid, isGivenBaseValid, driverOverrides] = await Promise.all([
    inspectRepo(opts.repoPath),
    inRepo(() => isValidBranchName(opts.repoPath, wanted), false),
    opts.baseBranch === '' ? Promise.resolve(false) : inRepo(() => isValidBranchName(opts.repoPath, opts.baseBranch), false),
    // The checkout runs smudge filters: not the ones the repo's own config defines.
    inRepo(() => repoDriverOverrides(opts.repoPath), []),
  ]);
  if (!repo.ok) return repo;
  const root = repo.root;

  if (!isWantedValid) {
    return failure('invalid_input', `"${opts.slug}" cannot be used in a branch name; make it with slugify()`);
  }
  const baseBranch = opts.baseBranch || repo.currentBranch;
  if (baseBranch === '') {
    return failure('bad_branch', `${root} has a detached HEAD, so there is no current branch to start from; choose a base branch.`);
  }
  const isBaseValid = opts.baseBranch === '' ? await isValidBranchName(root, baseBranch) : isGivenBaseValid;
  if (!isBaseValid) {
    return failure('bad_branch', `"${baseBranch}" is not a valid branch name. Branches in ${root}: ${describeBranches(await localBranches(root))}.`);
  }
  if (!isEmptyOrMissingDir(worktreePath)) {
    return failure('invalid_state', `${worktreePath} already exists and is not an empty folder; choose another place for the worktree.`);
  }

  return withRepoLock(repo.commonDir, async (): Promise<CreatedWorktree> => {
    const refs = await branchesFor(root, baseBranch, wanted);
    const baseCommit = refs.commits.get(branchRef(baseBranch));
    if (!baseCommit) {
      return failure(
        'bad_branch',
        `Base branch "${baseBranch}" does not exist in ${root}. Branches: ${describeBranches(await localBranches(root))}.`,
      );
    }
    const branch = freeBranchName(refs.taken, wanted);
    if (!branch) return failure('invalid_state', `Too many branches named ${wanted}-N in ${root}; delete some old ones.`);

    await fs.promises.mkdir(path.dirname(worktreePath), { recursive: true });
    // The start point is the commit, not the branch name: what we resolved is what we get,
    // and --no-track keeps the new branch from following the base.
    const add = await runGit(root, ['worktree', 'add', '--no-track', '-b', branch, '--', worktreePath, baseCommit], { config: driverOverrides });
    if (add.exitCode !== 0) {
      await deleteBranchIfUnused(root, branch, baseCommit);
      return failure('git_error', `Could not create the worktree at ${worktreePath}: ${firstLines(add.stderr)}`);
    }
    rememberGitPaths(worktreePath, repo.commonDir);
    // After the add, not alongside it: both walk 50,000 files and the add slowed by ~0.1 s
    // (measured on tmpfs, 2 cores), even with the status at nice 19. At nice 19 it stays out
    // of the way of the agent starting now.
    const isFromCheckout = opts.listUncommitted === true && baseBranch === repo.currentBranch;
    const uncommitted = isFromCheckout ? uncommittedPaths(root, { isLowPriority: true }).catch((): string[] => []) : Promise.resolve([]);
    return { ok: true, branch, baseBranch, baseCommit, uncommitted };
  });
}

/**
 * Removes the task's worktree and forgets it; with `deleteBranch`, deletes its branch too (only
 * ever a `flotilla/` branch). Nothing is lost: first everything in it (uncommitted and untracked
 * files included) is archived on `refs/flotilla/archive/<task-id>` (archive.ts), and when that
 * fails nothing is removed. A folder that is already gone is fine; a folder that is not a
 * worktree of this repo is left alone. Returns the archive commit (null: nothing to archive).
 */
export async function removeTaskWorktree(opts: {
  repoPath: string;
  worktreePath: string;
  branch: string;
  deleteBranch: boolean;
  /** Every host caller archives (taskMerge, discard); only tests of the removal itself leave it out. */
  archive?: { taskId: string; message: string; excludePaths: readonly string[] };
  /** Runs after the archive, before the removal (the repo's cleanup script). */
  beforeRemove?: () => Promise<void>;
}): Promise<string | null> {
  const root = path.resolve(opts.repoPath);
  if (opts.deleteBranch && !opts.branch.startsWith(TASK_BRANCH_PREFIX)) {
    throw new Error(`refusing to delete branch "${opts.branch}": Flotilla only deletes its own ${TASK_BRANCH_PREFIX}* branches`);
  }
  forgetGitPaths(opts.worktreePath);
  if (!fs.existsSync(path.join(root, '.git'))) {
    await removeOrphanedWorktree(root, path.resolve(opts.worktreePath));
    return null;
  }
  const archived = opts.archive
    ? await archiveWorktree({ repoPath: root, worktreePath: opts.worktreePath, branch: opts.branch, ...opts.archive })
    : null;
  await opts.beforeRemove?.();
  const { commonDir } = await gitDirsOf(root);
  await withRepoLock(commonDir, async () => {
    const worktreePath = path.resolve(opts.worktreePath);
    const registered = (await listWorktrees(root)).some((entry) => isSamePath(entry.path, worktreePath));
    if (registered && fs.existsSync(worktreePath)) {
      await runGitOk(root, ['worktree', 'remove', '--force', '--', worktreePath]);
    }
    // Drops the records of worktrees whose folder is gone (ours included, if it was deleted by hand).
    await runGitOk(root, ['worktree', 'prune']);
    if (opts.deleteBranch) {
      if (!(await isValidBranchName(root, opts.branch))) throw new Error(`"${opts.branch}" is not a valid branch name`);
      if ((await branchCommit(root, opts.branch)) !== null) {
        await runGitOk(root, ['branch', '--delete', '--force', '--', opts.branch]);
      }
    }
  });
  return archived;
}

/**
 * The repo is gone (deleted or moved): git has nothing left to update, and its branch went
 * with it. The folder is removed only when it is a worktree of that repo: its `.git` file
 * names a git dir under `<repo>/.git/worktrees/`.
 */
async function removeOrphanedWorktree(root: string, worktreePath: string): Promise<void> {
  const gitDir = readGitDirLine(worktreePath);
  const admin = path.join(root, '.git', 'worktrees') + path.sep;
  if (gitDir === null || !path.resolve(gitDir).startsWith(admin)) return;
  // Async: a worktree with node_modules is 100,000s of files; the host keeps answering meanwhile.
  await fs.promises.rm(worktreePath, { recursive: true, force: true });
}

/**
 * Absolute paths the sandbox must keep read-only for an agent working in `worktreePath`:
 * the worktree's `.git` pointer file, its own git dir (`…/.git/worktrees/<name>`) and the
 * repo's common git dir (hooks, config, refs, objects). Writing any of them would let the
 * agent plant something the user's git later runs.
 */
export async function gitPathsOfWorktree(worktreePath: string): Promise<string[]> {
  const given = path.resolve(worktreePath);
  const fresh = takeRememberedGitPaths(given);
  if (fresh) return fresh;
  const dirs = await gitDirsOf(given);
  return existingGitPaths(given, dirs.topLevel, dirs.gitDir, dirs.commonDir);
}

function existingGitPaths(given: string, topLevel: string, gitDir: string, commonDir: string): string[] {
  const paths = [path.join(given, '.git'), path.join(topLevel, '.git'), gitDir, commonDir];
  // The given path and its realpath differ when a symlink is on the way: keep both views.
  return [...new Set(paths)].filter((p) => fs.existsSync(p));
}

/**
 * The git paths of worktrees this process has just created, so the first turn's sandbox is
 * set up without another git call (~5 ms, far more on a busy machine) between the add and
 * the agent's start. Each is used once, within 60 s, and only while the worktree's `.git`
 * file still names the same git dir and every path exists; otherwise git is asked.
 */
const justCreated = new Map<string, { gitDirLine: string; paths: string[]; at: number }>();
const REMEMBER_MS = 60_000;

/** Notes the git paths of the worktree `git worktree add` just made at `worktreePath`. */
function rememberGitPaths(worktreePath: string, commonDir: string): void {
  for (const [key, entry] of justCreated) if (Date.now() - entry.at > REMEMBER_MS) justCreated.delete(key);
  const gitDirLine = readGitDirLine(worktreePath);
  if (gitDirLine === null) return;
  try {
    const paths = existingGitPaths(worktreePath, fs.realpathSync(worktreePath), fs.realpathSync(gitDirLine), commonDir);
    justCreated.set(worktreePath, { gitDirLine, paths, at: Date.now() });
  } catch {
    // A path vanished already: gitPathsOfWorktree asks git.
  }
}

function takeRememberedGitPaths(worktreePath: string): string[] | null {
  const entry = justCreated.get(worktreePath);
  if (!entry) return null;
  justCreated.delete(worktreePath);
  const isCurrent =
    Date.now() - entry.at <= REMEMBER_MS && readGitDirLine(worktreePath) === entry.gitDirLine && entry.paths.every((p) => fs.existsSync(p));
  return isCurrent ? entry.paths : null;
}

/** The absolute git dir a worktree's `.git` file names ("gitdir: <path>", what git reads), or null. */
function readGitDirLine(worktreePath: string): string | null {
  try {
    const gitDir = /^gitdir: (.+)$/m.exec(fs.readFileSync(path.join(worktreePath, '.git'), 'utf8'))?.[1];
    return gitDir && path.isAbsolute(gitDir) ? gitDir : null;
  } catch {
    return null;
  }
}

/** Forgets what was remembered about a worktree being removed or recreated. */
export function forgetGitPaths(worktreePath: string): void {
  justCreated.delete(path.resolve(worktreePath));
}

/**
 * The local branches that matter to a new task branch: `base`, and every branch named
 * `wanted`, `wanted-N` or below them (a branch "a/b" blocks "a": git stores refs as files and
 * folders). One `for-each-ref` instead of one call per candidate name. Both names passed
 * check-ref-format, so they hold no glob characters.
 */
async function branchesFor(root: string, base: string, wanted: string): Promise<BranchRefs> {
  const task = branchRef(wanted);
  const out = await runGitOk(root, [
    'for-each-ref',
    '--format=%(objecttype) %(objectname) %(refname)',
    branchRef(base),
    // A literal pattern also matches the refs below it ("refs/heads/x" matches "refs/heads/x/y");
    // "*" stops at "/", so "-*/**" catches the folders of the suffixed names.
    task,
    `${task}-*`,
    `${task}-*/**`,
  ]);
  const refs: BranchRefs = { taken: [], commits: new Map() };
  for (const line of out.split('\n')) {
    const [type = '', commit = '', ...name] = line.split(' ');
    if (name.length === 0) continue;
    const ref = name.join(' ');
    refs.taken.push(ref);
    // A branch pointing at a tree or blob cannot be a base.
    if (type === 'commit') refs.commits.set(ref, commit);
  }
  return refs;
}

interface BranchRefs {
  /** Every full ref listed. */
  taken: string[];
  /** The commit of each listed ref that points at one. */
  commits: Map<string, string>;
}

/** `wanted`, or `wanted-2`, `wanted-3`… — the first name no branch (or branch folder) uses. */
function freeBranchName(taken: string[], wanted: string): string | null {
  for (let n = 1; n <= MAX_BRANCH_SUFFIX; n++) {
    const name = n === 1 ? wanted : `${wanted}-${n}`;
    const ref = branchRef(name);
    if (!taken.some((other) => other === ref || other.startsWith(`${ref}/`))) return name;
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
