import type { TaskStatus } from './taskLifecycle.js';

export const BOARD_COLUMNS = ['backlog', 'in_progress', 'needs_you', 'review', 'done'] as const;
export type BoardColumn = (typeof BOARD_COLUMNS)[number];

export const COLUMN_TITLES: Record<BoardColumn, string> = {
  backlog: 'Backlog',
  in_progress: 'In progress',
  needs_you: 'Needs you',
  review: 'Review',
  done: 'Done',
};

/**
 * Where each status shows on the board. Failures, stops and interruptions all need a
 * human decision, so they sit in "Needs you" with the approvals and questions.
 */
export const COLUMN_OF_STATUS: Record<TaskStatus, BoardColumn> = {
  backlog: 'backlog',
  queued: 'in_progress',
  running: 'in_progress',
  needs_input: 'needs_you',
  failed: 'needs_you',
  stopped: 'needs_you',
  interrupted: 'needs_you',
  review: 'review',
  merged: 'done',
  discarded: 'done',
};

export function columnOf(status: TaskStatus): BoardColumn {
  return COLUMN_OF_STATUS[status];
}
