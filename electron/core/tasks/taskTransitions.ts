import { canTransition, type TaskStatus } from '../../../shared/model/taskLifecycle.js';
import type { Task } from '../../../shared/model/task.js';
import type { TaskEventBody } from '../../../shared/model/taskEvents.js';
import type { HostEventBus } from '../hostEvents.js';
import type { Journal } from '../journal/journal.js';
import type { TaskPatch, TaskStore } from '../store/taskStore.js';

/**
 * The one place task state changes: each change is checked against the lifecycle, written to
 * the tasks table and the journal in one transaction, and only then announced.
 */
export class TaskTransitions {
  constructor(private readonly deps: { tasks: TaskStore; journal: Journal; events: HostEventBus }) {}

  /** Moves `taskId` to `to`. Throws on a move the lifecycle forbids: that is a bug. */
  move(taskId: string, to: TaskStatus, reason: string | null = null, extra: Omit<TaskPatch, 'status' | 'statusReason'> = {}): Task {
    const { tasks, journal } = this.deps;
    const { task, event } = journal.transaction(() => {
      const current = tasks.get(taskId);
      if (!current) throw new Error(`task ${taskId} not found`);
      if (!canTransition(current.status, to)) {
        throw new Error(`task ${taskId}: ${current.status} → ${to} is not an allowed transition`);
      }
      const event = journal.append(taskId, { kind: 'status_changed', from: current.status, to, reason });
      return { task: tasks.update(taskId, { ...extra, status: to, statusReason: reason }), event };
    });
    this.deps.events.emit('tasks.onDidAppendEvent', { event });
    this.deps.events.emit('tasks.onDidChange', { task });
    return task;
  }

  /** Records an event that does not change the status (a message, command output, checkpoint). */
  record(taskId: string, body: TaskEventBody): void {
    const event = this.deps.journal.append(taskId, body);
    this.deps.events.emit('tasks.onDidAppendEvent', { event });
  }

  /** Records a brand-new task and announces it. */
  created(task: Task): void {
    const event = this.deps.journal.transaction(() => {
      this.deps.tasks.insert(task);
      return this.deps.journal.append(task.id, { kind: 'task_created', task });
    });
    this.deps.events.emit('tasks.onDidAppendEvent', { event });
    this.deps.events.emit('tasks.onDidChange', { task });
  }
}
