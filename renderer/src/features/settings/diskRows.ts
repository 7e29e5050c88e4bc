import type { MethodOutput } from '../../../../shared/contract.js';
import type { Task } from '../../../../shared/model/task.js';
import type { TaskStatus } from '../../../../shared/model/taskLifecycle.js';

export type WorktreeEntry = MethodOutput<'worktrees.usage'>['worktrees'][number];

/** Whether the Disk table may delete a worktree, and if not, why (shown in the row). */
export type Removal = { kind: 'removable' } | { kind: 'kept'; reason: string };

export interface DiskRow extends WorktreeEntry {
  removal: Removal;
}

/**
 * Why a task's worktree is kept, by status; null: the task is finished and nothing reads the
 * folder again. Failed, stopped and interrupted tasks can still be resumed in that folder, so
 * only discarding the task (which removes it) frees them. The host enforces the same rule.
 */
const KEEP_REASONS: Record<TaskStatus, string | null> = {
  backlog: 'Not started yet',
  queued: 'Queued to run',
  running: 'Its agent is at work',
  needs_input: 'Waiting for you',
  review: 'Merge or discard first',
  failed: 'Resumable: discard first',
  stopped: 'Resumable: discard first',
  interrupted: 'Resumable: discard first',
  merged: null,
  discarded: null,
};

export function removalOf(status: TaskStatus | null): Removal {
  const reason = status === null ? null : KEEP_REASONS[status];
  return reason === null ? { kind: 'removable' } : { kind: 'kept', reason };
}

/**
 * The table's rows, largest first (ties by path, so a refresh does not reshuffle them). The
 * board's live copy of a task wins over the snapshot: a task merged since the measurement shows
 * as merged.
 */
export function diskRows(worktrees: readonly WorktreeEntry[], tasks: Readonly<Record<string, Task | undefined>>): DiskRow[] {
  return worktrees
    .map((entry): DiskRow => {
      const task = entry.taskId === null ? undefined : tasks[entry.taskId];
      const taskStatus = task?.status ?? entry.taskStatus;
      return { ...entry, taskStatus, taskTitle: task?.title ?? entry.taskTitle, removal: removalOf(taskStatus) };
    })
    .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function totalBytes(rows: readonly { bytes: number }[]): number {
  return rows.reduce((sum, row) => sum + row.bytes, 0);
}

/**
 * What "Clean up finished" removes: removable and known clean. Uncommitted work needs its own
 * confirmation; a folder git could not inspect counts as holding work.
 */
export function cleanupPlan(rows: readonly DiskRow[]): { rows: DiskRow[]; bytes: number; skippedDirty: number } {
  const removable = rows.filter((row) => row.removal.kind === 'removable');
  const safe = removable.filter((row) => row.uncommitted.count === 0 && row.uncommitted.error === null);
  return { rows: safe, bytes: totalBytes(safe), skippedDirty: removable.length - safe.length };
}

/**
 * The row whose action should take focus once `removedPath` leaves the table: the next row
 * with a Remove button, else the previous one; null when none is left.
 */
export function focusAfterRemoval(rows: readonly DiskRow[], removedPath: string): string | null {
  const index = rows.findIndex((row) => row.path === removedPath);
  if (index < 0) return null;
  const hasButton = (row: DiskRow | undefined) => row !== undefined && row.path !== removedPath && row.removal.kind === 'removable';
  const after = rows.slice(index + 1).find(hasButton);
  if (after) return after.path;
  const before = rows.slice(0, index).reverse().find(hasButton);
  return before?.path ?? null;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB", 734003200 → "700 MB": one decimal below 10, binary steps of 1024. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // 1023.7 KB would round to "1024 KB": say "1.0 MB" instead.
  if (unit > 0 && unit < UNITS.length - 1 && Math.round(value) >= 1024) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 ? String(Math.round(value)) : value < 9.95 ? value.toFixed(1) : String(Math.round(value));
  return `${text} ${UNITS[unit]}`;
}

/** Longest tail kept whole, in characters: a task slug plus its numeric suffix. */
const TAIL_MAX = 28;

/**
 * A path cut for a middle ellipsis: the head may be clipped by CSS (`text-overflow`), the tail
 * (the last segment, where the task slug is) always shows. Joined, they are the path again.
 */
export function splitPathForEllipsis(fullPath: string): { head: string; tail: string } {
  const separator = Math.max(fullPath.lastIndexOf('/'), fullPath.lastIndexOf('\\'));
  let cut = separator <= 0 ? 0 : separator;
  if (fullPath.length - cut > TAIL_MAX) cut = fullPath.length - TAIL_MAX;
  return { head: fullPath.slice(0, cut), tail: fullPath.slice(cut) };
}

/**
 * "2 uncommitted files: a.txt, b.txt" / "7 uncommitted files: a, b, c, d, e and 2 more" /
 * "could not be inspected (why)".
 */
export function describeUncommitted(uncommitted: WorktreeEntry['uncommitted']): string {
  const { count, paths, error } = uncommitted;
  if (error !== null) return `could not be inspected (${error}); it may hold uncommitted work`;
  if (count === 0) return 'no uncommitted changes';
  const noun = count === 1 ? '1 uncommitted file' : `${count} uncommitted files`;
  const more = count - paths.length;
  const listed = paths.join(', ');
  if (listed === '') return noun;
  return more > 0 ? `${noun}: ${listed} and ${more} more` : `${noun}: ${listed}`;
}

/** The last segment of a path: how a row is named in button labels ("Remove fix-login-2"). */
export function folderName(fullPath: string): string {
  const parts = fullPath.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? fullPath;
}

/** "1 worktree", "3 worktrees": the counts the Disk tab says. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * What "Clean up finished" did: "Removed 2 worktrees; 1.2 MB freed.", then what failed and what
 * was kept, each only when there is some.
 */
export function cleanupNotice({ removed, freed, failed, skippedDirty }: { removed: number; freed: number; failed: number; skippedDirty: number }): string {
  return [
    `Removed ${plural(removed, 'worktree')}; ${formatBytes(freed)} freed.`,
    failed > 0 ? `${plural(failed, 'worktree')} could not be removed: see ${failed === 1 ? 'its row' : 'their rows'}.` : '',
    skippedDirty > 0 ? `Kept ${plural(skippedDirty, 'worktree')} with uncommitted work: remove ${skippedDirty === 1 ? 'it' : 'them'} one by one.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
