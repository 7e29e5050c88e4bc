import { decisionPointsOf } from '../../../../shared/model/decisionPoints.js';
import type { TaskEvent } from '../../../../shared/model/taskEvents.js';

/** What a marker on the timeline stands for; each kind has its own colour and shape. */
export type MarkerKind = 'start' | 'approval' | 'comment' | 'merge' | 'failure';

export interface TimelineMarker {
  kind: MarkerKind;
  /** Index in the replay's events: a seek to the marker plays up to and including it. */
  index: number;
  seq: number;
  at: number;
  taskId: string;
  /** What a screen reader and the tooltip say, without the time (the caller adds it). */
  label: string;
}

/** In the legend's order: a task's life from start to finish. */
export const MARKER_KINDS: readonly MarkerKind[] = ['start', 'approval', 'comment', 'merge', 'failure'];

export const MARKER_NAMES: Record<MarkerKind, string> = {
  start: 'Task started',
  approval: 'Approval asked',
  comment: 'Review comment',
  merge: 'Merged',
  failure: 'Failed',
};

const APPROVAL_OUTCOME = { approve: 'approved', deny: 'denied' } as const;

/**
 * The timeline's markers, in seq order: a task's first start, each approval asked (with what the
 * expert answered, from decisionPointsOf, the same points shadow mode will stop at), each review
 * comment, each merge and each failure. `events` in seq order.
 */
export function timelineMarkersOf(events: readonly TaskEvent[]): TimelineMarker[] {
  const indexBySeq = new Map<number, number>();
  const titles = new Map<string, string>();
  events.forEach((event, index) => {
    indexBySeq.set(event.seq, index);
    if (event.body.kind === 'task_created') titles.set(event.taskId, event.body.task.title);
  });
  const answers = new Map<number, string>();
  for (const point of decisionPointsOf(events)) {
    if (point.kind !== 'approval') continue;
    const action = point.expert.action;
    answers.set(point.seq, action === 'approve' || action === 'deny' ? APPROVAL_OUTCOME[action] : action);
  }
  const started = new Set<string>();
  const markers: TimelineMarker[] = [];
  for (const event of events) {
    const body = event.body;
    let kind: MarkerKind | null = null;
    let detail = '';
    if (body.kind === 'status_changed' && body.to === 'running' && !started.has(event.taskId)) {
      started.add(event.taskId);
      kind = 'start';
    } else if (body.kind === 'approval_requested') {
      kind = 'approval';
      const answer = answers.get(event.seq);
      detail = answer ? ` (${answer})` : ' (unanswered)';
    } else if (body.kind === 'review_comment') {
      kind = 'comment';
    } else if (body.kind === 'merged') {
      kind = 'merge';
    } else if (body.kind === 'status_changed' && body.to === 'failed') {
      kind = 'failure';
    }
    if (kind === null) continue;
    const title = titles.get(event.taskId) ?? event.taskId;
    markers.push({
      kind,
      index: indexBySeq.get(event.seq) ?? 0,
      seq: event.seq,
      at: event.at,
      taskId: event.taskId,
      label: `${MARKER_NAMES[kind]}${detail}: ${title}`,
    });
  }
  return markers;
}
