import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { failure, type Failure } from '../../../shared/contract.js';
import type { Repo, Task } from '../../../shared/model/task.js';
import { isFinal, type TaskStatus } from '../../../shared/model/taskLifecycle.js';
import { archiveWorktree } from '../git/archive.js';
import { firstLines, runGit } from '../git/runGit.js';
import { uncommittedPaths } from '../git/worktreeRecovery.js';
import type { TaskStore } from '../store/taskStore.js';
import { errorMessage } from '../util/errorMessage.js';

const execFileAsync = promisify(execFile);

/** Paths of uncommitted changes sent per worktree: enough to name what a removal would lose. */
export const UNCOMMITTED_SAMPLE = 5;
/** `git status` runs at once: 2 cores, and each walks a whole worktree. */
const STATUS_CONCURRENCY = 4;
/**
 * 60 s for one worktree's `git status` in this view: a real checkout takes seconds, but the
 * worktree is the agent's and it can make git block (a planted `.git` whose HEAD is a FIFO).
 * Past it the folder is reported as not inspected, never as clean.
 */
export const STATUS_TIMEOUT_MS = 60_000;

export interface WorktreeUsage {
  path: string;
  /** Disk used, in bytes (from `du`, so hard links and sparse files count as the OS counts them). */
  bytes: number;
  /** The task it belongs to; null for a folder no task owns (left by a crash or an older Flotilla). */
  taskId: string | null;
  taskStatus: TaskStatus | null;
  taskTitle: string | null;
  /** The owning task's repo, else the repo whose id names the folder's parent; null when neither. */
  repoName: string | null;
  /**
   * Uncommitted changes (tracked or untracked): how many, and the first few paths. 0 outside
   * git. `error` says why git could not inspect it: such a folder may hold work.
   */
  uncommitted: { count: number; paths: string[]; error: string | null };
}

/** What the task worktrees under FLOTILLA_HOME/worktrees use on disk, largest first. */
export async function worktreeUsage(deps: {
  home: string;
  tasks: Pick<TaskStore, 'list'>;
  repos: { list(): Repo[] };
  /** How long one folder's `git status` may take (ms); default STATUS_TIMEOUT_MS. */
  statusTimeoutMs?: number;
}): Promise<WorktreeUsage[]> {
  const owners = new Map<string, Task>(deps.tasks.list().map((task) => [path.resolve(task.worktreePath), task]));
  const repoNames = new Map(deps.repos.list().map((repo) => [repo.id, repo.name]));
  const folders = listWorktreeFolders(deps.home);
  const timeoutMs = deps.statusTimeoutMs ?? STATUS_TIMEOUT_MS;
  const [sizes, changes] = await Promise.all([
    diskUsage(folders),
    mapLimit(folders, STATUS_CONCURRENCY, (folder) => uncommittedIn(folder, timeoutMs)),
  ]);
  return folders
    .map((folder, index): WorktreeUsage => {
      const task = owners.get(folder);
      const found = changes[index] ?? { paths: [], error: null };
      return {
        path: folder,
        bytes: sizes.get(folder) ?? 0,
        taskId: task?.id ?? null,
        taskStatus: task?.status ?? null,
        taskTitle: task?.title ?? null,
        repoName: task?.repoName ?? repoNames.get(path.basename(path.dirname(folder))) ?? null,
        uncommitted: { count: found.paths.length, paths: found.paths.slice(0, UNCOMMITTED_SAMPLE), error: found.error },
      };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

/**
 * Deletes a worktree folder that no live task needs: one no task owns, or one of a merged or
 * discarded task. Uncommitted work in it is only deleted when the user confirmed exactly that.
 */
export async function removeWorktreeFolder(opts: {
  home: string;
  tasks: Pick<TaskStore, 'list'>;
  folder: string;
  isUncommittedWorkConfirmed: boolean;
  /** How long its `git status` may take (ms); default STATUS_TIMEOUT_MS. */
  statusTimeoutMs?: number;
}): Promise<{ ok: true } | Failure> {
  const folder = path.resolve(opts.folder);
  if (!listWorktreeFolders(opts.home).includes(folder)) {
    return failure('invalid_input', `${folder} is not a task worktree folder under ${path.join(opts.home, 'worktrees')}`);
  }
  const owner = opts.tasks.list().find((task) => path.resolve(task.worktreePath) === folder);
  if (owner && !isFinal(owner.status)) {
    return failure('invalid_state', `task ${owner.id} (${owner.status}) still uses ${folder}; merge or discard the task instead`);
  }
  // Never delete what could not be inspected: "git failed" is not "nothing to lose".
  const { paths: dirty, error } = await uncommittedIn(folder, opts.statusTimeoutMs ?? STATUS_TIMEOUT_MS);
  if (error !== null) {
    return failure(
      'invalid_state',
      `${folder} could not be inspected (${error}), so Flotilla will not delete it; if you are sure nothing in it is needed, delete the folder yourself`,
    );
  }
  if (dirty.length > 0 && !opts.isUncommittedWorkConfirmed) {
    const count = dirty.length === 1 ? '1 file' : `${dirty.length} files`;
    return failure('invalid_state', `${folder} holds uncommitted changes (${count}, e.g. ${dirty[0]}); confirm to delete them too`);
  }
  // A registered worktree is removed through git, so its repo forgets it too.
  const commonDir = await runGit(folder, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
  if (commonDir.exitCode === 0) {
    const repoOfWorktree = path.dirname(commonDir.stdout.trim());
    // Nothing is lost: uncommitted work goes to refs/flotilla/archive/<task-id> (or
    // orphan-<folder> for a folder no task owns) first; a failed archive removes nothing.
    if (dirty.length > 0) {
      await archiveWorktree({
        repoPath: repoOfWorktree,
        worktreePath: folder,
        branch: '',
        taskId: owner?.id ?? `orphan-${path.basename(folder).replace(/[^A-Za-z0-9_-]/g, '_')}`,
        message: `flotilla: archive of ${path.basename(folder)} before its removal from Settings → Disk`,
      });
    }
    const removed = await runGit(repoOfWorktree, ['worktree', 'remove', '--force', '--', folder]);
    if (removed.exitCode === 0) return { ok: true };
  }
  await fs.promises.rm(folder, { recursive: true, force: true });
  return { ok: true };
}

function listWorktreeFolders(home: string): string[] {
  const root = path.join(home, 'worktrees');
  return subfolders(root).flatMap((repoDir) => subfolders(repoDir));
}

function subfolders(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
}

/** `du -sk` over all folders in one run: native and fast, where a JS walk of node_modules is not. */
async function diskUsage(folders: string[]): Promise<Map<string, number>> {
  if (folders.length === 0) return new Map();
  try {
    const { stdout } = await execFileAsync('du', ['-sk', '--', ...folders], { maxBuffer: 16 * 1024 * 1024 });
    return parseDu(stdout);
  } catch (error) {
    // du exits non-zero when a file vanished mid-walk; what it printed is still right for the rest.
    return parseDu((error as { stdout?: string }).stdout ?? '');
  }
}

/** `<KiB>\t<path>` lines → bytes by path. */
function parseDu(stdout: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) sizes.set(line.slice(tab + 1), Number(line.slice(0, tab)) * 1024);
  }
  return sizes;
}

/**
 * Uncommitted paths in a worktree folder; none for a folder that is not a worktree of its own
 * (no `.git` there: git would answer for whatever repo encloses FLOTILLA_HOME). When git cannot
 * tell (it fails, or takes longer than `timeoutMs`), `error` says why.
 */
async function uncommittedIn(folder: string, timeoutMs: number): Promise<{ paths: string[]; error: string | null }> {
  if (!fs.existsSync(path.join(folder, '.git'))) return { paths: [], error: null };
  try {
    return { paths: await uncommittedPaths(folder, { timeoutMs }), error: null };
  } catch (error) {
    return { paths: [], error: firstLines(errorMessage(error), 1) };
  }
}

/** `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
