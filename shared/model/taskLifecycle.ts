import { z } from 'zod';

/** Every state a task can be in. The names are part of the CLI and API: never rename. */
export const TASK_STATUSES = [
  'backlog',
  'queued',
  'running',
  'needs_input',
  'review',
  'merged',
  'discarded',
  'failed',
  'stopped',
  'interrupted',
] as const;

export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/**
 * Allowed moves between statuses. Anything not listed is refused by `canTransition`,
 * so a bug that would show a dead task as running fails loudly instead.
 */
const TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  backlog: ['queued', 'running', 'discarded'],
  queued: ['running', 'stopped', 'discarded', 'failed', 'interrupted'],
  running: ['review', 'needs_input', 'failed', 'stopped', 'interrupted'],
  needs_input: ['running', 'queued', 'failed', 'stopped', 'discarded', 'review', 'interrupted'],
  review: ['queued', 'running', 'merged', 'discarded'],
  failed: ['queued', 'running', 'discarded'],
  stopped: ['queued', 'running', 'discarded', 'review'],
  interrupted: ['queued', 'running', 'discarded', 'stopped'],
  merged: [],
  // Restore (`task restore`): the worktree comes back from its archive, with its uncommitted files.
  discarded: ['review'],
};

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: TaskStatus): readonly TaskStatus[] {
  return TRANSITIONS[from];
}

/** Statuses in which an agent process may be alive for the task. */
export function isActive(status: TaskStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** Statuses from which nothing more happens: the worktree is gone. */
export function isFinal(status: TaskStatus): boolean {
  return status === 'merged' || status === 'discarded';
}

/** A task can be merged only when its agent is not working on it. */
export function canMerge(status: TaskStatus): boolean {
  return canTransition(status, 'merged');
}
