import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import { createFakeClient, flushPromises } from '../testing/fakeClient.js';
import { makeEvent } from '../testing/fixtures.js';
import { followTaskEvents, type TaskEventSink } from './followTaskEvents.js';
import { createTaskWatch } from './taskWatch.js';

const output = (seq: number, chunk: string, taskId = 't1') => makeEvent(seq, { kind: 'command_output', callId: 'c1', chunk }, taskId);

/** A deferred reply the test resolves when it wants. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function recordingSink() {
  const seen: TaskEvent[] = [];
  const log: string[] = [];
  const sink: TaskEventSink = {
    events: (batch) => seen.push(...batch),
    loaded: () => log.push('loaded'),
    failed: (message) => log.push(`failed: ${message}`),
  };
  return { sink, seen, log, chunks: () => seen.map((e) => (e.body.kind === 'command_output' ? e.body.chunk : e.body.kind)) };
}

describe('followTaskEvents', () => {
  it('watches first and reads the history only once the host has the watch', async () => {
    const watchReply = deferred<{ ok: true }>();
    const fake = createFakeClient({
      'tasks.watch': () => watchReply.promise,
      'tasks.events': () => ({ ok: true, events: [output(1, 'a')] }),
    });
    const recorded = recordingSink();
    followTaskEvents(fake.client, createTaskWatch(fake.client), 't1', recorded.sink);
    await flushPromises();
    expect(fake.calls.map((c) => c.method)).toEqual(['tasks.watch']);
    watchReply.resolve({ ok: true });
    await flushPromises();
    expect(fake.calls.map((c) => c.method)).toEqual(['tasks.watch', 'tasks.events']);
    expect(recorded.chunks()).toEqual(['a']);
    expect(recorded.log).toEqual(['loaded']);
  });

  it('merges live output that came during the read: in seq order, none twice, none lost', async () => {
    const history = deferred<{ ok: true; events: TaskEvent[] }>();
    const fake = createFakeClient({ 'tasks.watch': () => ({ ok: true }), 'tasks.events': () => history.promise });
    const recorded = recordingSink();
    followTaskEvents(fake.client, createTaskWatch(fake.client), 't1', recorded.sink);
    await flushPromises();
    // Live while the read is in flight: 3 is also in the history, 4 came after the read.
    fake.emit('tasks.onDidAppendEvent', { event: output(3, 'c') });
    fake.emit('tasks.onDidAppendEvent', { event: output(4, 'd') });
    fake.emit('tasks.onDidAppendEvent', { event: output(9, 'other task', 't2') });
    expect(recorded.seen).toEqual([]);
    history.resolve({ ok: true, events: [output(1, 'a'), output(2, 'b'), output(3, 'c')] });
    await flushPromises();
    fake.emit('tasks.onDidAppendEvent', { event: output(5, 'e') });
    fake.emit('tasks.onDidAppendEvent', { event: output(5, 'e') });
    expect(recorded.chunks()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('after a reconnect: watches again, catches up from the last seq, and keeps early live events until then', async () => {
    let history: Promise<{ ok: true; events: TaskEvent[] }> = Promise.resolve({ ok: true, events: [output(1, 'a')] });
    const fake = createFakeClient({ 'tasks.watch': () => ({ ok: true }), 'tasks.events': () => history });
    const recorded = recordingSink();
    followTaskEvents(fake.client, createTaskWatch(fake.client), 't1', recorded.sink);
    await flushPromises();
    expect(recorded.chunks()).toEqual(['a']);

    fake.setStatus('reconnecting');
    // Journalled while the link was down (2, 3): never sent. Then the link is back, and a status
    // change (sent to every connection) arrives before the catch-up read answers.
    const catchUp = deferred<{ ok: true; events: TaskEvent[] }>();
    history = catchUp.promise;
    fake.setStatus('connected');
    fake.emit('tasks.onDidAppendEvent', { event: makeEvent(4, { kind: 'status_changed', from: 'running', to: 'review', reason: null }) });
    await flushPromises();
    expect(fake.calls.map((c) => c.method)).toEqual(['tasks.watch', 'tasks.events', 'tasks.watch', 'tasks.events']);
    expect(fake.calls[3]?.input).toEqual({ id: 't1', afterSeq: 1 });
    expect(recorded.chunks()).toEqual(['a']);
    catchUp.resolve({ ok: true, events: [output(2, 'b'), output(3, 'c'), makeEvent(4, { kind: 'status_changed', from: 'running', to: 'review', reason: null })] });
    await flushPromises();
    expect(recorded.chunks()).toEqual(['a', 'b', 'c', 'status_changed']);
  });

  it('stops watching when the view goes away', async () => {
    const fake = createFakeClient({ 'tasks.watch': () => ({ ok: true }), 'tasks.events': () => ({ ok: true, events: [] }) });
    const recorded = recordingSink();
    const before = fake.listenerCount();
    const stop = followTaskEvents(fake.client, createTaskWatch(fake.client), 't1', recorded.sink);
    await flushPromises();
    stop();
    await flushPromises();
    expect(fake.calls.filter((c) => c.method === 'tasks.watch').map((c) => c.input)).toEqual([{ taskIds: ['t1'] }, { taskIds: [] }]);
    fake.emit('tasks.onDidAppendEvent', { event: output(7, 'late') });
    expect(recorded.seen).toEqual([]);
    // The watch keeps its own connection listener for the client's life; the view's are gone.
    expect(fake.listenerCount()).toBe(before + 1);
  });

  it('reports a read the host refused', async () => {
    const fake = createFakeClient({
      'tasks.watch': () => ({ ok: true }),
      'tasks.events': () => ({ ok: false, kind: 'not_found', message: 'no task with id "t1"' }),
    });
    const recorded = recordingSink();
    followTaskEvents(fake.client, createTaskWatch(fake.client), 't1', recorded.sink);
    await flushPromises();
    expect(recorded.log).toEqual(['failed: no task with id "t1"']);
  });
});
