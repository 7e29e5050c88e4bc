import type { TaskEvent } from './taskEvents.js';
import type { ApprovalDecision, ApprovalRequest } from './approval.js';

/** One block in the task view, folded from journal events. */
export type TranscriptItem =
  | { type: 'user'; seq: number; text: string }
  | { type: 'agent'; seq: number; text: string }
  | {
      type: 'command';
      seq: number;
      callId: string;
      command: string;
      output: string;
      /** null while running or when the outcome is unknown. */
      exitCode: number | null;
      isRunning: boolean;
      isKilled: boolean;
      /** The host stopped while it ran; it was not re-run. */
      isOutcomeUnknown: boolean;
      durationMs: number | null;
    }
  | { type: 'status'; seq: number; text: string }
  | { type: 'checkpoint'; seq: number; commit: string; filesChanged: number }
  | { type: 'error'; seq: number; text: string }
  | { type: 'approval'; seq: number; request: ApprovalRequest; decision: ApprovalDecision | null };

/**
 * Output kept per command in the view, in characters (UTF-16 units). The journal keeps
 * everything; the view keeps the tail so a chatty command cannot bloat the renderer.
 */
export const COMMAND_OUTPUT_VIEW_LIMIT = 200_000;

/** Pure fold: `applyEvent(items, e)` returns a new array, never mutates its input. */
export function applyTranscriptEvent(items: readonly TranscriptItem[], event: TaskEvent): TranscriptItem[] {
  const body = event.body;
  switch (body.kind) {
    case 'task_created':
      return [...items, { type: 'user', seq: event.seq, text: body.task.prompt }];
    case 'user_message':
      return [...items, { type: 'user', seq: event.seq, text: body.text }];
    case 'agent_message':
      return [...items, { type: 'agent', seq: event.seq, text: body.text }];
    case 'command_started':
      return [
        ...items,
        {
          type: 'command',
          seq: event.seq,
          callId: body.callId,
          command: body.command,
          output: '',
          exitCode: null,
          isRunning: true,
          isKilled: false,
          isOutcomeUnknown: false,
          durationMs: null,
        },
      ];
    case 'command_output':
      return updateCommand(items, body.callId, (c) => {
        const output = c.output + body.chunk;
        return {
          ...c,
          output: output.length > COMMAND_OUTPUT_VIEW_LIMIT ? output.slice(-COMMAND_OUTPUT_VIEW_LIMIT) : output,
        };
      });
    case 'command_finished':
      return updateCommand(items, body.callId, (c) => ({
        ...c,
        exitCode: body.exitCode,
        isRunning: false,
        isKilled: body.isKilled,
        durationMs: body.durationMs,
      }));
    case 'command_outcome_unknown':
      return updateCommand(items, body.callId, (c) => ({ ...c, isRunning: false, isOutcomeUnknown: true }));
    case 'status_changed':
      return [
        ...items.map((item) => (item.type === 'command' && item.isRunning && body.to !== 'running' ? { ...item, isRunning: false } : item)),
        { type: 'status', seq: event.seq, text: body.reason ? `${body.to}: ${body.reason}` : body.to },
      ];
    case 'checkpoint':
      return [...items, { type: 'checkpoint', seq: event.seq, commit: body.commit, filesChanged: body.filesChanged }];
    case 'merged':
      return [...items, { type: 'status', seq: event.seq, text: `merged (${body.strategy}) as ${body.commit.slice(0, 10)}` }];
    case 'error':
      return [...items, { type: 'error', seq: event.seq, text: body.message }];
    case 'approval_requested':
      return [...items, { type: 'approval', seq: event.seq, request: body.request, decision: null }];
    case 'approval_decided': {
      const index = findLastIndex(items, (i) => i.type === 'approval' && i.request.requestId === body.requestId);
      if (index < 0) return [...items];
      const next = [...items];
      next[index] = { ...(items[index] as Extract<TranscriptItem, { type: 'approval' }>), decision: body.decision };
      return next;
    }
    case 'note':
      return [...items, { type: 'status', seq: event.seq, text: body.text }];
    case 'terminal_recorded':
      // The terminal itself shows these bytes; the transcript is the plain record.
      return [...items];
    case 'review_comment':
      // Shown beside the diff; what reaches the agent is the request's user_message.
      return [...items];
    case 'task_updated':
      // The board shows these fields (taskFold.ts); the transcript has nothing to add.
      return [...items];
  }
}

function updateCommand(
  items: readonly TranscriptItem[],
  callId: string,
  update: (c: Extract<TranscriptItem, { type: 'command' }>) => TranscriptItem,
): TranscriptItem[] {
  const index = findLastIndex(items, (i) => i.type === 'command' && i.callId === callId);
  if (index < 0) return [...items];
  const next = [...items];
  next[index] = update(items[index] as Extract<TranscriptItem, { type: 'command' }>);
  return next;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}

export function foldTranscript(events: readonly TaskEvent[]): TranscriptItem[] {
  return events.reduce<TranscriptItem[]>((items, e) => applyTranscriptEvent(items, e), []);
}
