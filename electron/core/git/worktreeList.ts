import { runGitOk } from './runGit.js';
import { canonicalPath } from '../util/canonicalPath.js';

export interface WorktreeEntry {
  /** Absolute path of the working tree, as git recorded it. */
  path: string;
  /** Commit checked out; '' for a bare entry or an unborn branch. */
  head: string;
  /** Full ref checked out (`refs/heads/main`), or null when detached or bare. */
  branch: string | null;
  isBare: boolean;
  isLocked: boolean;
  /** Git thinks it can be pruned (its folder is gone). */
  isPrunable: boolean;
}

/** Every worktree of the repo at `cwd`, the main one first (`git worktree list --porcelain -z`). */
export async function listWorktrees(cwd: string): Promise<WorktreeEntry[]> {
  const out = await runGitOk(cwd, ['worktree', 'list', '--porcelain', '-z']);
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | null = null;
  // -z: each attribute ends with NUL, and an empty field (a double NUL) ends a record.
  for (const field of out.split('\0')) {
    if (field === '') {
      if (current) entries.push(current);
      current = null;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space < 0 ? field : field.slice(0, space);
    const value = space < 0 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      if (current) entries.push(current);
      current = { path: value, head: '', branch: null, isBare: false, isLocked: false, isPrunable: false };
      continue;
    }
    if (!current) continue;
    if (key === 'HEAD') current.head = value;
    else if (key === 'branch') current.branch = value;
    else if (key === 'bare') current.isBare = true;
    else if (key === 'locked') current.isLocked = true;
    else if (key === 'prunable') current.isPrunable = true;
  }
  if (current) entries.push(current);
  return entries;
}

/** True when `a` and `b` name the same folder (through symlinks, when both exist). */
export function isSamePath(a: string, b: string): boolean {
  return canonicalPath(a) === canonicalPath(b);
}
