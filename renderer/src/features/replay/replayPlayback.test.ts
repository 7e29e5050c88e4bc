import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../../shared/model/approval.js';
import type { TaskEvent, TaskEventBody } from '../../../../shared/model/taskEvents.js';
import { createAppStore } from '../../state/appStore.js';
import { selectTasksByColumn } from '../../state/selectors.js';
import { makeEvent, makeTask } from '../../testing/fixtures.js';
import { filmClockOf, playedCountAt, wallTimeAt } from './filmClock.js';
import { createReadOnlyClient } from './readOnlyClient.js';
import { createReplayActivity } from './replayActivity.js';
import { ReplayPlayback } from './replayPlayback.js';
import { timelineMarkersOf } from './timelineMarkers.js';

const request: ApprovalRequest = {
  requestId: 'q1',
  callId: 'c1',
  kind: 'escalation',
  command: 'curl https://example.com',
  reason: 'fetch',
  widening: { network: true, writablePaths: [] },
  requestedAt: 0,
};

const T0 = 1_700_000_000_000;
const at = (seq: number, ms: number, body: TaskEventBody, taskId = 't1'): TaskEvent => ({ ...makeEvent(seq, body, taskId), at: T0 + ms });

/** t1 starts, runs a command, asks (lunch: 10 minutes idle), is approved, reaches Review, merged. */
const journal: TaskEvent[] = [
  at(1, 0, { kind: 'task_created', task: makeTask({ id: 't1', title: 'Fix login', status: 'backlog' }) }),
  at(2, 100, { kind: 'status_changed', from: 'backlog', to: 'running', reason: null }),
  at(3, 1_000, { kind: 'command_started', callId: 'c0', command: 'npm test' }),
  at(4, 2_000, { kind: 'approval_requested', request }),
  at(5, 2_003, { kind: 'status_changed', from: 'running', to: 'needs_input', reason: 'approval needed' }),
  at(6, 602_003, { kind: 'approval_decided', requestId: 'q1', decision: { decision: 'approve', scope: 'once', message: null } }),
  at(7, 602_004, { kind: 'status_changed', from: 'needs_input', to: 'running', reason: null }),
  at(8, 604_000, { kind: 'status_changed', from: 'running', to: 'review', reason: null }),
  at(9, 605_000, { kind: 'merged', commit: 'c'.repeat(40), strategy: 'merge' }),
  at(10, 605_001, { kind: 'status_changed', from: 'review', to: 'merged', reason: null }),
];

function player() {
  const store = createAppStore({ mode: 'replay' });
  const activity = createReplayActivity();
  const playback = new ReplayPlayback(journal, store, activity);
  const column = () => Object.entries(selectTasksByColumn(store.getState())).find(([, tasks]) => tasks.length > 0)?.[0];
  return { store, activity, playback, column };
}

describe('film clock', () => {
  it('shrinks idle gaps over 3 s to 1 s and maps film time back to the wall clock', () => {
    const times = journal.map((e) => e.at);
    expect(filmClockOf(times, false).duration).toBe(605_001);
    const clock = filmClockOf(times, true);
    // 10 minutes of lunch play in 1 s.
    expect(clock.duration).toBe(605_001 - 600_000 + 1_000);
    expect(playedCountAt(clock, 2_003)).toBe(5);
    // Half way through the shrunk gap is half way through the real one.
    expect(wallTimeAt(clock, 2_003 + 500)).toBe(T0 + 2_003 + 300_000);
  });
});

describe('ReplayPlayback', () => {
  it('plays forwards into the replay store and seeks back by replaying from the start', () => {
    const { playback, column, store } = player();
    expect(column()).toBe('backlog');
    playback.setSpeed(1);
    playback.play();
    playback.advance(1_500);
    expect(column()).toBe('in_progress');
    // The film is 6 s long: one slow frame of 10 s would pass the end, but a frame shows at most
    // one status change, so every column the card went through is seen, in order.
    const seen: (string | undefined)[] = [];
    for (let frame = 0; frame < 10 && playback.getState().isPlaying; frame += 1) {
      playback.advance(10_000);
      seen.push(column());
    }
    expect(seen).toEqual(['needs_you', 'in_progress', 'review', 'done']);
    expect(playback.getState().isPlaying).toBe(false);
    playback.seek(1_500);
    expect(column()).toBe('in_progress');
    expect(store.getState().replay).toMatchObject({ lastSeq: 3 });
  });

  it('a marker lands on the moment it stands for: the request and the move to Needs you', () => {
    const { playback, column, store, activity } = player();
    const approval = timelineMarkersOf(journal).find((m) => m.kind === 'approval');
    expect(approval?.label).toBe('Approval asked (approved): Fix login');
    playback.seekToEvent(approval?.index ?? -1);
    expect(column()).toBe('needs_you');
    expect(store.getState().tasks.t1?.pendingApproval).toEqual(request);
    expect(activity.get('t1')).toEqual({ kind: 'command', text: '$ npm test' });
    // Back before the command: the card says nothing about it any more.
    playback.seek(0);
    expect(activity.get('t1')?.text).toBe('Working…');
  });

  it('lists markers for the start, the approval and the merge, in order', () => {
    expect(timelineMarkersOf(journal).map((m) => m.kind)).toEqual(['start', 'approval', 'merge']);
  });
});

describe('the read-only client', () => {
  it('refuses every call and hears no host event', async () => {
    const client = createReadOnlyClient();
    await expect(client.invoke('tasks.approve', { id: 't1', scope: 'once' })).rejects.toThrow(/replay.*tasks\.approve/);
    expect(typeof client.on('tasks.onDidChange', () => {})).toBe('function');
  });
});
