import type { Repo, Task } from '../../../shared/model/task.js';

/** Tasks keyed by id. Replaced (never mutated) on every change so selectors can memoize by identity. */
export type TasksById = Readonly<Record<string, Task>>;

export const NO_TASKS: TasksById = Object.freeze({});

/**
 * Events and list replies can cross on the wire (a reload after a reconnect races live
 * events), so the copy with the later `updatedAt` wins; ties go to the incoming copy.
 */
function isAtLeastAsNew(incoming: Task, current: Task | undefined): boolean {
  return current === undefined || incoming.updatedAt >= current.updatedAt;
}

/** Applies one `tasks.onDidChange` payload or a method result carrying a task. */
export function applyTaskChange(tasks: TasksById, task: Task): TasksById {
  if (!isAtLeastAsNew(task, tasks[task.id])) return tasks;
  return { ...tasks, [task.id]: task };
}

/**
 * Applies a `tasks.list` reply. Tasks missing from the reply are kept: the host never
 * deletes a task, so a missing one was created after the host answered.
 */
export function applyTaskList(tasks: TasksById, list: readonly Task[]): TasksById {
  const next: Record<string, Task> = { ...tasks };
  for (const task of list) {
    if (isAtLeastAsNew(task, next[task.id])) next[task.id] = task;
  }
  return next;
}

/** Inserts or replaces a repo by id, keeping the list order stable. */
export function applyRepo(repos: readonly Repo[], repo: Repo): Repo[] {
  const index = repos.findIndex((r) => r.id === repo.id);
  if (index < 0) return [...repos, repo];
  const next = [...repos];
  next[index] = repo;
  return next;
}
