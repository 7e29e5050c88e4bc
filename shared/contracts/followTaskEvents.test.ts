import { describe, expect, it } from 'vitest';
import type { Failure, MethodOutput } from '../contract.js';
import type { TaskEvent } from '../model/taskEvents.js';
import { followTaskEvents, type TaskEventFeed, type TaskEventSink } from './followTaskEvents.js';

type Read = MethodOutput<'tasks.events'>;

const output = (seq: number, chunk: string, taskId = 't1'): TaskEvent => ({ seq, taskId, at: seq, body: { kind: 'command_output', callId: 'c1', chunk } });

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A `tasks.events` reply that ends the journal. */
const lastPage = (events: TaskEvent[]): Read => ({ ok: true, events, hasMore: false, nextAfterSeq: events.at(-1)?.seq ?? 0 });

/** Lets every pending promise callback run (one macrotask turn: no time is waited for). */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A feed the test drives: it confirms watches, answers reads and drops the link when told. */
function fakeFeed() {
  const appendListeners = new Set<(event: TaskEvent) => void>();
  const downListeners = new Set<() => void>();
  const watchers = new Set<() => void>();
  const reads: Array<{ afterSeq: number | undefined; reply: ReturnType<typeof deferred<Read>> }> = [];
  let isConnected = true;
  const feed: TaskEventFeed = {
    onAppend(listener) {
      appendListeners.add(listener);
      return () => appendListeners.delete(listener);
    },
    watch(_taskId, onWatching) {
      watchers.add(onWatching);
      return () => watchers.delete(onWatching);
    },
    read(_taskId, afterSeq) {
      const reply = deferred<Read>();
      reads.push({ afterSeq, reply });
      return reply.promise;
    },
    onLinkDown(listener) {
      downListeners.add(listener);
      return () => downListeners.delete(listener);
    },
    isConnected: () => isConnected,
  };
  return {
    feed,
    reads,
    confirmWatch: () => [...watchers].forEach((onWatching) => onWatching()),
    append: (event: TaskEvent) => [...appendListeners].forEach((listener) => listener(event)),
    drop() {
      isConnected = false;
      [...downListeners].forEach((listener) => listener());
    },
    restore: () => (isConnected = true),
    subscriptions: () => appendListeners.size + downListeners.size + watchers.size,
    lastRead() {
      const read = reads.at(-1);
      if (!read) throw new Error('no read yet');
      return read;
    },
  };
}

function recordingSink() {
  const log: string[] = [];
  const failures: Array<Failure | undefined> = [];
  const sink: TaskEventSink = {
    events: (batch) => log.push(...batch.map((e) => (e.body.kind === 'command_output' ? e.body.chunk : e.body.kind))),
    loaded: () => log.push('(loaded)'),
    failed: (message, failure) => {
      log.push(`(failed: ${message})`);
      failures.push(failure);
    },
  };
  return { sink, log, failures };
}

describe('followTaskEvents', () => {
  it('reads the history only once the watch is confirmed, then passes live events on', async () => {
    const fake = fakeFeed();
    const recorded = recordingSink();
    followTaskEvents(fake.feed, 't1', recorded.sink);
    expect(fake.reads).toEqual([]);
    fake.confirmWatch();
    expect(fake.lastRead().afterSeq).toBeUndefined();
    fake.lastRead().reply.resolve(lastPage([output(1, 'a')]));
    await settle();
    fake.append(output(2, 'b'));
    expect(recorded.log).toEqual(['a', '(loaded)', 'b']);
  });

  it('merges live events that came during the read by seq: none twice, none lost, other tasks ignored', async () => {
    const fake = fakeFeed();
    const recorded = recordingSink();
    followTaskEvents(fake.feed, 't1', recorded.sink);
    fake.confirmWatch();
    fake.append(output(4, 'd'));
    fake.append(output(3, 'c'));
    fake.append(output(9, 'other', 't2'));
    expect(recorded.log).toEqual([]);
    fake.lastRead().reply.resolve(lastPage([output(1, 'a'), output(2, 'b'), output(3, 'c')]));
    await settle();
    fake.append(output(4, 'd'));
    fake.append(output(5, 'e'));
    expect(recorded.log).toEqual(['a', 'b', 'c', 'd', '(loaded)', 'e']);
  });

  it('reads a long history page by page from each nextAfterSeq, live events after the last page', async () => {
    const fake = fakeFeed();
    const recorded = recordingSink();
    followTaskEvents(fake.feed, 't1', recorded.sink);
    fake.confirmWatch();
    fake.lastRead().reply.resolve({ ok: true, events: [output(1, 'a'), output(2, 'b')], hasMore: true, nextAfterSeq: 2 });
    await settle();
    fake.append(output(4, 'd'));
    expect(fake.lastRead().afterSeq).toBe(2);
    expect(recorded.log).toEqual(['a', 'b']);
    fake.lastRead().reply.resolve(lastPage([output(3, 'c')]));
    await settle();
    expect(fake.reads).toHaveLength(2);
    expect(recorded.log).toEqual(['a', 'b', 'c', 'd', '(loaded)']);
  });

  it('after the link drops: holds live events until the catch-up read from the last seq', async () => {
    const fake = fakeFeed();
    const recorded = recordingSink();
    followTaskEvents(fake.feed, 't1', recorded.sink);
    fake.confirmWatch();
    fake.lastRead().reply.resolve(lastPage([output(1, 'a')]));
    await settle();
    fake.drop();
    fake.restore();
    fake.append(output(4, 'd'));
    fake.confirmWatch();
    expect(fake.lastRead().afterSeq).toBe(1);
    expect(recorded.log).toEqual(['a', '(loaded)']);
    fake.lastRead().reply.resolve(lastPage([output(2, 'b'), output(3, 'c')]));
    await settle();
    expect(recorded.log).toEqual(['a', '(loaded)', 'b', 'c', 'd', '(loaded)']);
  });

  it('reports a read the host refused with its failure, and keeps no live events for it', async () => {
    const fake = fakeFeed();
    const recorded = recordingSink();
    followTaskEvents(fake.feed, 't1', recorded.sink);
    fake.confirmWatch();
    const refusal: Failure = { ok: false, kind: 'not_found', message: 'no task t1' };
    fake.lastRead().reply.resolve(refusal);
    await settle();
    fake.append(output(1, 'late'));
    expect(recorded.log).toEqual(['(failed: no task t1)']);
    expect(recorded.failures).toEqual([refusal]);
  });

  it('reports a broken read while connected; while the link is down it waits for the next watch instead', async () => {
    const fake = fakeFeed();
    const recorded = recordingSink();
    followTaskEvents(fake.feed, 't1', recorded.sink);
    fake.confirmWatch();
    fake.drop();
    fake.lastRead().reply.reject(new Error('the connection was lost'));
    await settle();
    expect(recorded.log).toEqual([]);
    fake.restore();
    fake.confirmWatch();
    fake.lastRead().reply.reject(new Error('internal error: boom'));
    await settle();
    expect(recorded.log).toEqual(['(failed: internal error: boom)']);
    expect(recorded.failures).toEqual([undefined]);
  });

  it('stops: unwatches, unsubscribes, and drops a read that answers afterwards', async () => {
    const fake = fakeFeed();
    const recorded = recordingSink();
    const stop = followTaskEvents(fake.feed, 't1', recorded.sink);
    fake.confirmWatch();
    stop();
    expect(fake.subscriptions()).toBe(0);
    fake.lastRead().reply.resolve(lastPage([output(1, 'a')]));
    await settle();
    expect(recorded.log).toEqual([]);
  });
});
