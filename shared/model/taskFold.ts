import type { Task } from './task.js';
import type { TaskEvent, TaskFieldPatch } from './taskEvents.js';

/**
 * The board's tasks as a fold of journal events: the host journals whatever a task's snapshot
 * changed beyond these rules (`task_updated`, electron/core/tasks/taskTransitions.ts) before it
 * broadcasts the snapshot, so `foldTasks(journal)` equals what the host showed. The live board,
 * `task log` and the replay player share these reducers, so none can drift from the others.
 *
 * `updatedAt`: an event that changes fields of its own (status_changed, approval_*, merged)
 * stamps `updatedAt` with the event's `at`; when the host's copy differs (its clock ticked
 * between the two writes), the following `task_updated` carries the host's value.
 */
export function applyTaskEvent(task: Task | undefined, event: TaskEvent): Task | undefined {
  const body = event.body;
  if (body.kind === 'task_created') return body.task;
  if (!task) return undefined;
  switch (body.kind) {
    case 'status_changed':
      return { ...task, status: body.to, statusReason: body.reason, updatedAt: event.at };
    case 'approval_requested':
      return { ...task, pendingApproval: body.request, updatedAt: event.at };
    case 'approval_decided':
      // What "for this task" grants is a host rule (taskApprovals.ts): it comes as a task_updated.
      return { ...task, pendingApproval: null, updatedAt: event.at };
    case 'merged':
      return { ...task, mergeCommit: body.commit, mergeStrategy: body.strategy, updatedAt: event.at };
    case 'task_updated':
      return { ...task, ...body.patch };
    default:
      // Messages, commands, checkpoints, notes, recordings, comments: the transcript's, not the card's.
      return task;
  }
}

/** Every task the events mention, by id; events in seq order (the journal's). */
export function foldTasks(events: readonly TaskEvent[]): Record<string, Task> {
  const tasks: Record<string, Task> = {};
  for (const event of events) {
    const next = applyTaskEvent(tasks[event.taskId], event);
    if (next) tasks[event.taskId] = next;
  }
  return tasks;
}

/** One task from its own events (undefined when they hold no `task_created`). */
export function foldTask(events: readonly TaskEvent[]): Task | undefined {
  return events.reduce<Task | undefined>(applyTaskEvent, undefined);
}

/** Whether an event can change a task's fields: a reader that folds tasks needs only these. */
export const TASK_FIELD_EVENT_KINDS = ['task_created', 'status_changed', 'approval_requested', 'approval_decided', 'merged', 'task_updated'] as const;

/**
 * The fields of `next` that differ from `previous` (compared as JSON values), each whole: the
 * patch that turns `previous` into `next`. Empty when they are equal. `id` never changes.
 */
export function taskPatchBetween(previous: Task, next: Task): TaskFieldPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof Task)[]) {
    if (key === 'id') continue;
    if (!isSameJson(previous[key], next[key])) patch[key] = next[key];
  }
  return patch as TaskFieldPatch;
}

export function isEmptyPatch(patch: TaskFieldPatch): boolean {
  return Object.keys(patch).length === 0;
}

/** Deep equality of JSON-shaped values (objects, arrays, strings, numbers, booleans, null). */
export function isSameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => isSameJson(item, b[i]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  if (keys.length !== Object.keys(right).filter((k) => right[k] !== undefined).length) return false;
  return keys.every((k) => isSameJson(left[k], right[k]));
}
