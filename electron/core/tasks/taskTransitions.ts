import { canTransition, type TaskStatus } from '../../../shared/model/taskLifecycle.js';
import type { Task } from '../../../shared/model/task.js';
import type { TaskEvent, TaskEventBody } from '../../../shared/model/taskEvents.js';
import { applyTaskEvent, foldTask, isEmptyPatch, TASK_FIELD_EVENT_KINDS, taskPatchBetween } from '../../../shared/model/taskFold.js';
import type { HostEventBus } from '../hostEvents.js';
import type { Journal } from '../journal/journal.js';
import type { TaskPatch, TaskStore } from '../store/taskStore.js';

/**
 * The one place task state changes: each change is checked against the lifecycle, written to
 * the tasks table and the journal in one transaction, and only then announced.
 *
 * The journal folds to what is announced (shared/model/taskFold.ts): before a task is
 * announced, whatever of it the journal's fold does not yet hold (usage, grants, `updatedAt`…)
 * is journalled as one `task_updated` with only the changed fields. So the live board, `task log`
 * and a replay all read the same tasks out of the same events.
 */
export class TaskTransitions {
  /** Each task as its journal folds so far; loaded from the journal on first use, then kept up. */
  private readonly folded = new Map<string, Task>();

  constructor(private readonly deps: { tasks: TaskStore; journal: Journal; events: HostEventBus }) {}

  /** Moves `taskId` to `to`. Throws on a move the lifecycle forbids: that is a bug. */
  move(taskId: string, to: TaskStatus, reason: string | null = null, extra: Omit<TaskPatch, 'status' | 'statusReason'> = {}): Task {
    const { tasks, journal } = this.deps;
    return this.announced(taskId, () => {
      const current = tasks.get(taskId);
      if (!current) throw new Error(`task ${taskId} not found`);
      if (!canTransition(current.status, to)) {
        throw new Error(`task ${taskId}: ${current.status} → ${to} is not an allowed transition`);
      }
      const event = journal.append(taskId, { kind: 'status_changed', from: current.status, to, reason });
      // The event's time: the fold (taskFold.ts) stamps updatedAt with it too.
      tasks.update(taskId, { ...extra, status: to, statusReason: reason, updatedAt: event.at });
      return [event];
    });
  }

  /** Changes fields of a task that are not its status (a pull request's url, an archive gone) and announces it. */
  update(taskId: string, patch: Omit<TaskPatch, 'status' | 'statusReason'>): Task {
    return this.announced(taskId, () => {
      this.deps.tasks.update(taskId, patch);
      return [];
    });
  }

  /**
   * Journals whatever of the task changed without going through here (e.g. usage added at the
   * end of a turn) and announces it when something did. Returns the task, undefined if unknown.
   */
  sync(taskId: string): Task | undefined {
    if (!this.deps.tasks.get(taskId)) return undefined;
    return this.announced(taskId, () => [], { isQuietWhenUnchanged: true });
  }

  /** Records an event that does not change the status (a message, command output, checkpoint). */
  record(taskId: string, body: TaskEventBody): void {
    const event = this.deps.journal.append(taskId, body);
    const folded = this.folded.get(taskId);
    if (folded) this.folded.set(taskId, applyTaskEvent(folded, event) ?? folded);
    this.deps.events.emit('tasks.onDidAppendEvent', { event });
  }

  /** Records a brand-new task and announces it: the journal holds the task as stored. */
  created(task: Task): void {
    const { tasks, journal } = this.deps;
    this.announced(task.id, () => {
      tasks.insert(task);
      const stored = tasks.get(task.id);
      if (!stored) throw new Error(`task ${task.id} vanished during insert`);
      return [journal.append(task.id, { kind: 'task_created', task: stored })];
    });
  }

  /**
   * Runs `change` (which journals `events`) in one transaction with the `task_updated` that makes
   * the journal fold to the stored task, then announces the events and the task.
   */
  private announced(taskId: string, change: () => TaskEvent[], options: { isQuietWhenUnchanged?: boolean } = {}): Task {
    const { tasks, journal, events } = this.deps;
    const { task, appended, folded } = journal.transaction(() => {
      const appended = change();
      const cached = this.folded.get(taskId);
      // Not cached yet: the journal already holds `appended` (same transaction).
      let folded = cached ? appended.reduce<Task | undefined>(applyTaskEvent, cached) : this.foldFromJournal(taskId);
      const task = tasks.get(taskId);
      if (!task) throw new Error(`task ${taskId} not found`);
      const patch = folded ? taskPatchBetween(folded, task) : null;
      if (!folded || (patch && !isEmptyPatch(patch))) {
        // No task_created at all (a task from before the journal): the whole task, once.
        const updated = journal.append(taskId, folded ? { kind: 'task_updated', patch: patch ?? {} } : { kind: 'task_created', task });
        appended.push(updated);
        folded = applyTaskEvent(folded, updated);
      }
      return { task, appended, folded };
    });
    if (folded) this.folded.set(taskId, folded);
    if (options.isQuietWhenUnchanged && appended.length === 0) return task;
    for (const event of appended) events.emit('tasks.onDidAppendEvent', { event });
    events.emit('tasks.onDidChange', { task });
    return task;
  }

  private foldFromJournal(taskId: string): Task | undefined {
    return foldTask(this.deps.journal.eventsOfKinds(taskId, TASK_FIELD_EVENT_KINDS));
  }
}
