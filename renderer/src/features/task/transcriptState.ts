import type { TaskEvent } from '../../../../shared/model/taskEvents.js';
import { applyTranscriptEvent, type TranscriptItem } from '../../../../shared/model/transcript.js';

export interface TranscriptState {
  items: readonly TranscriptItem[];
  /** Highest journal seq folded in; -1 before any. Used to drop duplicates and to resume. */
  lastSeq: number;
  /** Seq of the newest checkpoint, -1 if none: the Changes tab refreshes when it moves. */
  lastCheckpointSeq: number;
}

export const EMPTY_TRANSCRIPT: TranscriptState = { items: [], lastSeq: -1, lastCheckpointSeq: -1 };

/**
 * Folds a batch of events that may overlap what is already folded (a load racing live
 * events, a reload after a reconnect): applied in seq order, each seq at most once.
 * Returns the same object when nothing was new.
 */
export function appendTranscriptEvents(state: TranscriptState, events: readonly TaskEvent[]): TranscriptState {
  const fresh = events.filter((e) => e.seq > state.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return state;
  let { items, lastSeq, lastCheckpointSeq } = state;
  for (const event of fresh) {
    if (event.seq <= lastSeq) continue; // the same event twice in one batch
    items = applyTranscriptEvent(items, event);
    lastSeq = event.seq;
    if (event.body.kind === 'checkpoint') lastCheckpointSeq = event.seq;
  }
  return { items, lastSeq, lastCheckpointSeq };
}
