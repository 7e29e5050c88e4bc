import { columnOf } from '../../../shared/model/boardColumns.js';
import type { Task } from '../../../shared/model/task.js';
import { visibleText } from '../../../shared/model/visibleText.js';

/** Why a task wants the user: its agent waits for them, it failed, or its work is ready to review. */
export type AlertKind = 'needs_you' | 'failed' | 'review';

export interface TaskAlert {
  taskId: string;
  kind: AlertKind;
  title: string;
  body: string;
}

/**
 * The state a task is announced for, or null when it is not news. An approval request has its own
 * key: a second request of a task already in Needs you is announced again, the same one never.
 * Stopped and interrupted tasks are left out: the user stopped them, or they were told at start.
 */
export function alertKeyOf(task: Pick<Task, 'status' | 'pendingApproval'>): string | null {
  switch (task.status) {
    case 'needs_input':
      return `needs_you:${task.pendingApproval?.requestId ?? ''}`;
    case 'failed':
      return 'failed';
    case 'review':
      return 'review';
    default:
      return null;
  }
}

/** 200 chars: a notification shows two or three lines; the task view has the rest. */
const MAX_BODY = 200;

/**
 * The notification for a task's state. Titles and reasons are the agent's words: the OS draws
 * them, so control and bidi characters are shown as marks (shared/model/visibleText.ts).
 */
export function alertFor(task: Task): TaskAlert | null {
  const key = alertKeyOf(task);
  if (key === null) return null;
  const title = visibleText(task.title);
  const reason = task.statusReason === null ? '' : visibleText(task.statusReason);
  const body = reason.length > MAX_BODY ? `${reason.slice(0, MAX_BODY - 1)}…` : reason;
  if (task.status === 'failed') return { taskId: task.id, kind: 'failed', title: `“${title}” failed`, body };
  if (task.status === 'review') return { taskId: task.id, kind: 'review', title: `“${title}” is ready for review`, body };
  const request = task.pendingApproval;
  const asks = request === null ? body : `Asks to run: ${visibleText(request.command.replace(/\s+/g, ' ').trim()).slice(0, MAX_BODY)}`;
  return { taskId: task.id, kind: 'needs_you', title: `“${title}” needs you`, body: asks };
}

/**
 * Remembers the state each task was last announced in, so the same state is never announced
 * twice (a task changes for many reasons while it stays in Review). Seeded with the tasks that
 * exist at start: what was already there when the app opened is not news.
 */
export class TaskAlertLog {
  private readonly announced = new Map<string, string | null>();

  seed(tasks: Iterable<Task>): void {
    for (const task of tasks) this.announced.set(task.id, alertKeyOf(task));
  }

  /** The alert for this version of the task, if its state is news. */
  next(task: Task): TaskAlert | null {
    const key = alertKeyOf(task);
    const previous = this.announced.get(task.id);
    this.announced.set(task.id, key);
    if (key === null || key === previous) return null;
    return alertFor(task);
  }
}

export interface TaskCounts {
  running: number;
  needsYou: number;
}

/** What the badge and the tray show; Needs you as on the board (failed, stopped… included). */
export function countTasks(tasks: Iterable<Pick<Task, 'status'>>): TaskCounts {
  let running = 0;
  let needsYou = 0;
  for (const task of tasks) {
    if (task.status === 'running') running++;
    if (columnOf(task.status) === 'needs_you') needsYou++;
  }
  return { running, needsYou };
}
