import { BOARD_COLUMNS, columnOf, type BoardColumn } from '../../../shared/model/boardColumns.js';
import type { Repo, Task } from '../../../shared/model/task.js';
import type { AppState } from './appStore.js';
import { effectiveRepoIds } from './repoFilter.js';
import type { TasksById } from './tasksModel.js';

export type TasksByColumn = Readonly<Record<BoardColumn, readonly Task[]>>;

/**
 * Tasks whose agent waits for an approval first (it is blocked until the user answers), then
 * newest first; id breaks ties so the order never flickers between renders.
 */
function byUrgencyThenNewest(a: Task, b: Task): number {
  const waiting = Number(b.pendingApproval !== null) - Number(a.pendingApproval !== null);
  return waiting || b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Pure grouping; `selectTasksByColumn` memoizes it per tasks object. */
export function groupTasksByColumn(tasks: TasksById, repoIds: ReadonlySet<string> | null = null): TasksByColumn {
  const groups = Object.fromEntries(BOARD_COLUMNS.map((c) => [c, [] as Task[]])) as Record<BoardColumn, Task[]>;
  for (const task of Object.values(tasks)) {
    if (repoIds === null || repoIds.has(task.repoId)) groups[columnOf(task.status)].push(task);
  }
  for (const column of BOARD_COLUMNS) groups[column].sort(byUrgencyThenNewest);
  return groups;
}

// Keyed by the tasks object itself: every change replaces it, so identity is the version.
const byColumnCache = new WeakMap<TasksById, TasksByColumn>();

/** Every task, whatever the repo filter: counts and notifications are about all of them. */
export function selectTasksByColumn(state: Pick<AppState, 'tasks'>): TasksByColumn {
  let grouped = byColumnCache.get(state.tasks);
  if (!grouped) {
    grouped = groupTasksByColumn(state.tasks);
    byColumnCache.set(state.tasks, grouped);
  }
  return grouped;
}

// One entry is enough: only the board reads it, and it changes with tasks or the filter.
let visibleCache: { tasks: TasksById; key: string; grouped: TasksByColumn } | null = null;

/** The board's cards: tasks of the repos the filter shows. */
export function selectVisibleTasksByColumn(state: Pick<AppState, 'tasks' | 'repos' | 'repoFilter'>): TasksByColumn {
  const ids = effectiveRepoIds(state.repoFilter, state.repos);
  if (ids === null) return selectTasksByColumn(state);
  const key = [...ids].sort().join('\n');
  if (visibleCache?.tasks !== state.tasks || visibleCache.key !== key) {
    visibleCache = { tasks: state.tasks, key, grouped: groupTasksByColumn(state.tasks, ids) };
  }
  return visibleCache.grouped;
}

export function selectNeedsYouCount(state: Pick<AppState, 'tasks'>): number {
  return selectTasksByColumn(state).needs_you.length;
}

export function selectTaskById(id: string | null): (state: Pick<AppState, 'tasks'>) => Task | null {
  return (state) => (id === null ? null : (state.tasks[id] ?? null));
}

export const selectSelectedTask = (state: Pick<AppState, 'tasks' | 'selectedTaskId'>): Task | null =>
  state.selectedTaskId === null ? null : (state.tasks[state.selectedTaskId] ?? null);

export const selectSelectedTaskId = (state: Pick<AppState, 'selectedTaskId'>): string | null => state.selectedTaskId;
export const selectRepos = (state: Pick<AppState, 'repos'>): readonly Repo[] => state.repos;
export const selectIsTasksLoaded = (state: Pick<AppState, 'isTasksLoaded'>): boolean => state.isTasksLoaded;
export const selectConnection = (state: Pick<AppState, 'connection'>) => state.connection;
export const selectLoadError = (state: Pick<AppState, 'loadError'>) => state.loadError;
export const selectDialog = (state: Pick<AppState, 'dialog'>) => state.dialog;
export const selectTaskDialog = (state: Pick<AppState, 'taskDialog'>) => state.taskDialog;
export const selectToast = (state: Pick<AppState, 'toast'>) => state.toast;
export const selectRepoFilter = (state: Pick<AppState, 'repoFilter'>) => state.repoFilter;
export const selectTheme = (state: Pick<AppState, 'theme'>) => state.theme;
/** All tasks as a map: for the command palette's search (read when it opens, not per keystroke). */
export const selectTasks = (state: Pick<AppState, 'tasks'>): TasksById => state.tasks;
/** True in the replay player's store: its board is read-only, driven by replayed events. */
export const selectIsReplay = (state: Pick<AppState, 'replay'>): boolean => state.replay.mode === 'replay';
