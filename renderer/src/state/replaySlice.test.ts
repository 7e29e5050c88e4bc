import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import { makeEvent, makeTask } from '../testing/fixtures.js';
import { createAppStore } from './appStore.js';
import { applyTaskEventsToBoard } from './replaySlice.js';
import { selectIsReplay, selectTasksByColumn } from './selectors.js';
import { NO_TASKS } from './tasksModel.js';

const created = makeTask({ id: 't1', status: 'backlog', updatedAt: 1_001 });
const other = makeTask({ id: 't2', status: 'backlog', createdAt: 2_000, updatedAt: 1_002 });

/** A short journal of two tasks: t1 runs, asks, and lands in Review with its usage; t2 waits. */
const journal: TaskEvent[] = [
  makeEvent(1, { kind: 'task_created', task: created }),
  makeEvent(2, { kind: 'task_created', task: other }, 't2'),
  makeEvent(3, { kind: 'status_changed', from: 'backlog', to: 'queued', reason: null }),
  makeEvent(4, { kind: 'status_changed', from: 'queued', to: 'running', reason: null }),
  makeEvent(5, { kind: 'agent_message', text: 'looking' }),
  makeEvent(6, { kind: 'status_changed', from: 'running', to: 'review', reason: null }),
  makeEvent(7, { kind: 'task_updated', patch: { usage: { inputTokens: 10, outputTokens: 2 } } }),
];

describe('the replay store', () => {
  it('shows the same board as the live store that received the host’s snapshots', () => {
    const live = createAppStore();
    live.getState().receiveTaskList([other, { ...created, status: 'review', usage: { inputTokens: 10, outputTokens: 2 }, updatedAt: 1_006 }]);
    const replay = createAppStore({ mode: 'replay' });
    replay.getState().applyTaskEvents(journal);
    expect(replay.getState().tasks).toEqual(live.getState().tasks);
    expect(selectTasksByColumn(replay.getState())).toEqual(selectTasksByColumn(live.getState()));
    expect(replay.getState().replay).toEqual({ mode: 'replay', lastSeq: 7, at: 1_007 });
    expect(selectIsReplay(replay.getState())).toBe(true);
    expect(selectIsReplay(live.getState())).toBe(false);
  });

  it('is read-only: snapshots from a host change nothing, and a live store ignores replayed events', () => {
    const replay = createAppStore({ mode: 'replay' });
    replay.getState().receiveTask(created);
    replay.getState().receiveTaskList([other]);
    expect(replay.getState().tasks).toBe(NO_TASKS);
    const live = createAppStore();
    live.getState().applyTaskEvents(journal);
    expect(live.getState().tasks).toBe(NO_TASKS);
  });

  it('seeks: a keyframe plus the tail equals playing from the start; replayed events are skipped', () => {
    const whole = createAppStore({ mode: 'replay' });
    whole.getState().applyTaskEvents(journal);
    const seeking = createAppStore({ mode: 'replay' });
    seeking.getState().applyTaskEvents(journal.slice(0, 4));
    const { tasks, replay } = seeking.getState();
    const keyframe = { tasks, lastSeq: replay.mode === 'replay' ? replay.lastSeq : 0, at: 1_004 };
    seeking.getState().applyTaskEvents(journal);
    seeking.getState().resetReplay();
    expect(seeking.getState().tasks).toBe(NO_TASKS);
    seeking.getState().resetReplay(keyframe);
    seeking.getState().applyTaskEvents(journal.slice(2));
    expect(seeking.getState().tasks).toEqual(whole.getState().tasks);
  });

  it('keeps the board object when no event changes a task (selectors memoize by identity)', () => {
    const board = applyTaskEventsToBoard(NO_TASKS, journal.slice(0, 2));
    expect(applyTaskEventsToBoard(board, [makeEvent(8, { kind: 'agent_message', text: 'hi' })])).toBe(board);
  });
});
