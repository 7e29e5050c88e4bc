import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { failure, type Failure } from '../../../shared/contract.js';
import { isFinal, type TaskStatus } from '../../../shared/model/taskLifecycle.js';
import { uncommittedPaths } from '../git/worktreeRecovery.js';
import { runGit } from '../git/runGit.js';
import type { TaskStore } from '../store/taskStore.js';

const execFileAsync = promisify(execFile);

export interface WorktreeUsage {
  path: string;
  /** Disk used, in bytes (from `du`, so hard links and sparse files count as the OS counts them). */
  bytes: number;
  /** The task it belongs to; null for a folder no task owns (left by a crash or an older Flotilla). */
  taskId: string | null;
  taskStatus: TaskStatus | null;
}

/** What the task worktrees under FLOTILLA_HOME/worktrees use on disk, largest first. */
export async function worktreeUsage(home: string, tasks: TaskStore): Promise<WorktreeUsage[]> {
  const owners = new Map(tasks.list().map((task) => [path.resolve(task.worktreePath), task]));
  const folders = listWorktreeFolders(home);
  const sizes = await diskUsage(folders);
  return folders
    .map((folder) => {
      const task = owners.get(folder);
      return { path: folder, bytes: sizes.get(folder) ?? 0, taskId: task?.id ?? null, taskStatus: task?.status ?? null };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

/**
 * Deletes a worktree folder that no live task needs: one no task owns, or one of a merged or
 * discarded task. Uncommitted work in it is only deleted when the user confirmed exactly that.
 */
export async function removeWorktreeFolder(opts: {
  home: string;
  tasks: TaskStore;
  folder: string;
  isUncommittedWorkConfirmed: boolean;
}): Promise<{ ok: true } | Failure> {
  const folder = path.resolve(opts.folder);
  if (!listWorktreeFolders(opts.home).includes(folder)) {
    return failure('invalid_input', `${folder} is not a task worktree folder under ${path.join(opts.home, 'worktrees')}`);
  }
  const owner = opts.tasks.list().find((task) => path.resolve(task.worktreePath) === folder);
  if (owner && !isFinal(owner.status)) {
    return failure('invalid_state', `task ${owner.id} (${owner.status}) still uses ${folder}; merge or discard the task instead`);
  }
  const dirty = await uncommittedPaths(folder).catch(() => []);
  if (dirty.length > 0 && !opts.isUncommittedWorkConfirmed) {
    const count = dirty.length === 1 ? '1 file' : `${dirty.length} files`;
    return failure('invalid_state', `${folder} holds uncommitted changes (${count}, e.g. ${dirty[0]}); confirm to delete them too`);
  }
  // A registered worktree is removed through git, so its repo forgets it too.
  const commonDir = await runGit(folder, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
  if (commonDir.exitCode === 0) {
    const repoOfWorktree = path.dirname(commonDir.stdout.trim());
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
