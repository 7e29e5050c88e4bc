import type { TaskEvent } from '../../../../shared/model/taskEvents.js';
import { applyTranscriptEvent, type TranscriptItem } from '../../../../shared/model/transcript.js';
import { countNewlines } from './outputWindow.js';

export interface TranscriptState {
  items: readonly TranscriptItem[];
  /** Highest journal seq folded in; -1 before any. Used to drop duplicates and to resume. */
  lastSeq: number;
  /** Seq of the newest checkpoint, -1 if none: the Changes tab refreshes when it moves. */
  lastCheckpointSeq: number;
  /**
   * Newlines each command (by callId) has printed in all, counting those the view limit has
   * dropped from the front of its `output`: the command block numbers its lines with it, so
   * that a line keeps its number (and its chunk its identity) while the front is dropped.
   */
  receivedNewlines: ReadonlyMap<string, number>;
}

export const EMPTY_TRANSCRIPT: TranscriptState = { items: [], lastSeq: -1, lastCheckpointSeq: -1, receivedNewlines: new Map() };

/**
 * Folds a batch of events that may overlap what is already folded (a load racing live
 * events, a reload after a reconnect): applied in seq order, each seq at most once.
 * Returns the same object when nothing was new.
 */
export function appendTranscriptEvents(state: TranscriptState, events: readonly TaskEvent[]): TranscriptState {
  const fresh = events.filter((e) => e.seq > state.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return state;
  let { items, lastSeq, lastCheckpointSeq, receivedNewlines } = state;
  // Copied once per batch, on the first command event in it.
  let newlines: Map<string, number> | null = null;
  for (const event of fresh) {
    if (event.seq <= lastSeq) continue; // the same event twice in one batch
    items = applyTranscriptEvent(items, event);
    lastSeq = event.seq;
    const body = event.body;
    if (body.kind === 'checkpoint') lastCheckpointSeq = event.seq;
    if (body.kind === 'command_started') {
      // A callId used again starts a new block (the fold updates the last one with that id): count from 0.
      newlines ??= new Map(receivedNewlines);
      newlines.set(body.callId, 0);
    } else if (body.kind === 'command_output') {
      newlines ??= new Map(receivedNewlines);
      newlines.set(body.callId, (newlines.get(body.callId) ?? 0) + countNewlines(body.chunk));
    }
  }
  if (newlines !== null) receivedNewlines = newlines;
  return { items, lastSeq, lastCheckpointSeq, receivedNewlines };
}
