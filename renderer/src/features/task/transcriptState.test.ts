import { describe, expect, it } from 'vitest';
import { makeEvent, makeTask } from '../../testing/fixtures.js';
import { appendTranscriptEvents, EMPTY_TRANSCRIPT } from './transcriptState.js';

const created = makeEvent(1, { kind: 'task_created', task: makeTask({ prompt: 'Fix the bug' }) });
const started = makeEvent(2, { kind: 'command_started', callId: 'c1', command: 'ls' });
const output = makeEvent(3, { kind: 'command_output', callId: 'c1', chunk: 'a.txt\n' });
const finished = makeEvent(4, { kind: 'command_finished', callId: 'c1', exitCode: 0, durationMs: 12, isKilled: false });
const checkpoint = makeEvent(5, { kind: 'checkpoint', commit: 'abc', filesChanged: 1, turn: 1 });

describe('appendTranscriptEvents', () => {
  it('folds events into transcript items and tracks the last seq and checkpoint', () => {
    const state = appendTranscriptEvents(EMPTY_TRANSCRIPT, [created, started, output, finished, checkpoint]);
    expect(state.lastSeq).toBe(5);
    expect(state.lastCheckpointSeq).toBe(5);
    expect(state.items.map((i) => i.type)).toEqual(['user', 'command', 'checkpoint']);
    const command = state.items[1];
    expect(command).toMatchObject({ type: 'command', output: 'a.txt\n', exitCode: 0, isRunning: false });
  });

  it('applies overlapping and out-of-order batches once each, in seq order', () => {
    const live = appendTranscriptEvents(EMPTY_TRANSCRIPT, [created, started]);
    // The initial load answers with everything, while a live event arrived first and twice.
    const merged = appendTranscriptEvents(live, [output, created, started, output, finished]);
    const command = merged.items[1];
    expect(command).toMatchObject({ type: 'command', output: 'a.txt\n' });
    expect(merged.lastSeq).toBe(4);
    expect(merged.lastCheckpointSeq).toBe(-1);
  });

  it('returns the same state when nothing is new', () => {
    const state = appendTranscriptEvents(EMPTY_TRANSCRIPT, [created]);
    expect(appendTranscriptEvents(state, [created])).toBe(state);
    expect(appendTranscriptEvents(state, [])).toBe(state);
  });

  it('counts the newlines each command printed, from its start, whatever the view keeps of its output', () => {
    const more = makeEvent(4, { kind: 'command_output', callId: 'c1', chunk: 'b.txt\nc.txt\nd' });
    const other = makeEvent(5, { kind: 'command_started', callId: 'c2', command: 'pwd' });
    const huge = makeEvent(6, { kind: 'command_output', callId: 'c2', chunk: 'x\n'.repeat(150_000) });
    const state = appendTranscriptEvents(EMPTY_TRANSCRIPT, [created, started, output, more, other, huge]);
    expect(state.receivedNewlines.get('c1')).toBe(3);
    // 300,000 characters printed; the view keeps the last 200,000, the count all 150,000 lines.
    expect(state.receivedNewlines.get('c2')).toBe(150_000);
    const c2 = state.items.find((i) => i.type === 'command' && i.callId === 'c2');
    expect(c2?.type === 'command' && c2.output.length).toBe(200_000);
    // Live events after a load: counted once.
    expect(appendTranscriptEvents(state, [huge, more]).receivedNewlines.get('c2')).toBe(150_000);
  });
});
