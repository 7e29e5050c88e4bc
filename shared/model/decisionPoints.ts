import { z } from 'zod';
import type { TaskEvent } from './taskEvents.js';
import type { TaskStatus } from './taskLifecycle.js';

/**
 * The moments of a recording where the expert decided something a trainee should decide too
 * (shadow mode stops at each): an approval asked, a task in Review that the expert merged or sent
 * back, a discard, and a follow-up message after a failure. Computed from journal events alone, so
 * a live journal, an export and an import give the same points.
 */

export const DecisionKindSchema = z.enum(['approval', 'review', 'discard', 'follow_up']);
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

export const ExpertActionSchema = z.enum(['approve', 'deny', 'merge', 'request_changes', 'send', 'discard']);
export type ExpertAction = z.infer<typeof ExpertActionSchema>;

export const DecisionPointSchema = z.object({
  /** When the decision was asked of the expert (ms since the epoch): where the player stops. */
  at: z.number(),
  /** The journal seq of the event that asked it (an approval request, the move to Review, the failure). */
  seq: z.number(),
  kind: DecisionKindSchema,
  taskId: z.string(),
  /** What the expert did, when, and its detail: the approval's scope or denial reason, the merge strategy, the message sent. */
  expert: z.object({
    action: ExpertActionSchema,
    at: z.number(),
    seq: z.number(),
    detail: z.string().nullable(),
  }),
});
export type DecisionPoint = z.infer<typeof DecisionPointSchema>;

/** Statuses a follow-up message after counts as "after a failure". */
const FAILURE_STATUSES: ReadonlySet<TaskStatus> = new Set(['failed', 'interrupted', 'stopped']);

interface Asked {
  at: number;
  seq: number;
}

/** Per task: what is waiting for the expert now. */
interface TaskWait {
  approvals: Map<string, Asked>;
  /** Since when the task sits in this status (the move's event), or null before its first move. */
  status: TaskStatus | null;
  since: Asked | null;
  /** The message last sent from Review, until the next one: "Request changes" if comments follow it. */
  sentFromReview: DecisionPoint | null;
}

/** Every decision point of `events` (any order of tasks, each task's events in seq order), in seq order. */
export function decisionPointsOf(events: readonly TaskEvent[]): DecisionPoint[] {
  const waits = new Map<string, TaskWait>();
  const points: DecisionPoint[] = [];
  const waitOf = (taskId: string): TaskWait => {
    let wait = waits.get(taskId);
    if (!wait) {
      wait = { approvals: new Map(), status: null, since: null, sentFromReview: null };
      waits.set(taskId, wait);
    }
    return wait;
  };
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const wait = waitOf(event.taskId);
    const point = (kind: DecisionKind, asked: Asked, action: ExpertAction, detail: string | null): DecisionPoint => {
      const decided: DecisionPoint = { at: asked.at, seq: asked.seq, kind, taskId: event.taskId, expert: { action, at: event.at, seq: event.seq, detail } };
      points.push(decided);
      return decided;
    };
    const body = event.body;
    switch (body.kind) {
      case 'task_created':
        wait.status = body.task.status;
        wait.since = { at: event.at, seq: event.seq };
        break;
      case 'approval_requested':
        wait.approvals.set(body.request.requestId, { at: event.at, seq: event.seq });
        break;
      case 'approval_decided': {
        const asked = wait.approvals.get(body.requestId);
        if (!asked) break;
        wait.approvals.delete(body.requestId);
        const detail = body.decision.decision === 'deny' ? body.decision.message : body.decision.scope;
        point('approval', asked, body.decision.decision, detail);
        break;
      }
      case 'merged':
        if (wait.status === 'review' && wait.since) point('review', wait.since, 'merge', body.strategy);
        wait.since = null;
        break;
      case 'review_comment':
        // "Request changes" journals its message first, then each comment it sent (sentAt set):
        // the message sent from Review was the comments.
        if (wait.sentFromReview && body.comment.sentAt !== null) wait.sentFromReview.expert.action = 'request_changes';
        break;
      case 'user_message':
        wait.sentFromReview = null;
        if (wait.since && wait.status === 'review') wait.sentFromReview = point('review', wait.since, 'send', body.text);
        else if (wait.since && wait.status !== null && FAILURE_STATUSES.has(wait.status)) point('follow_up', wait.since, 'send', body.text);
        wait.since = null;
        break;
      case 'status_changed':
        if (body.to !== 'queued' && body.to !== 'running') wait.sentFromReview = null;
        if (body.to === 'discarded' && wait.since) point(wait.status === 'review' ? 'review' : 'discard', wait.since, 'discard', body.reason);
        wait.status = body.to;
        wait.since = { at: event.at, seq: event.seq };
        break;
      default:
        break;
    }
  }
  return points;
}
