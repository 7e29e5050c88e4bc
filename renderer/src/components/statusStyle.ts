import type { TaskStatus } from '../../../shared/model/taskLifecycle.js';

export type Tone = 'neutral' | 'info' | 'attention' | 'danger' | 'review' | 'success' | 'muted';

export const STATUS_LABELS: Record<TaskStatus, string> = {
  backlog: 'Backlog',
  queued: 'Queued',
  running: 'Running',
  needs_input: 'Needs input',
  review: 'Review',
  merged: 'Merged',
  discarded: 'Discarded',
  failed: 'Failed',
  stopped: 'Stopped',
  interrupted: 'Interrupted',
};

export const STATUS_TONES: Record<TaskStatus, Tone> = {
  backlog: 'neutral',
  queued: 'neutral',
  running: 'info',
  needs_input: 'attention',
  review: 'review',
  merged: 'success',
  discarded: 'muted',
  failed: 'danger',
  stopped: 'attention',
  interrupted: 'attention',
};

/** Statuses whose one-line reason is worth a line on the card. */
export function showsReason(status: TaskStatus): boolean {
  return status === 'failed' || status === 'stopped' || status === 'needs_input' || status === 'interrupted';
}
