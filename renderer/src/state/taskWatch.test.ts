import { describe, expect, it } from 'vitest';
import { createFakeClient, flushPromises } from '../testing/fakeClient.js';
import { createTaskWatch, taskWatchOf } from './taskWatch.js';

/** A `tasks.watch` handler whose replies the test releases one by one. */
function heldWatch() {
  const held: Array<() => void> = [];
  return {
    handler: () => new Promise<{ ok: true }>((resolve) => held.push(() => resolve({ ok: true }))),
    releaseAll: async () => {
      for (const release of held.splice(0)) release();
      await flushPromises();
    },
  };
}

const watchCalls = (calls: Array<{ method: string; input: unknown }>) => calls.filter((c) => c.method === 'tasks.watch').map((c) => c.input);

describe('createTaskWatch', () => {
  it('sends the union of what the views watch, once per tick, and confirms after the host answers', async () => {
    const replies = heldWatch();
    const fake = createFakeClient({ 'tasks.watch': replies.handler });
    const watch = createTaskWatch(fake.client);
    const confirmed: string[] = [];
    const offB = watch.watch('b', () => confirmed.push('b'));
    const offA = watch.watch('a', () => confirmed.push('a'));
    await flushPromises();
    expect(watchCalls(fake.calls)).toEqual([{ taskIds: ['a', 'b'] }]);
    // Not before the host has it: a view that loaded now could miss output.
    expect(confirmed).toEqual([]);
    await replies.releaseAll();
    expect(confirmed.sort()).toEqual(['a', 'b']);

    offA();
    await flushPromises();
    offB();
    await flushPromises();
    expect(watchCalls(fake.calls).slice(1)).toEqual([{ taskIds: ['b'] }, { taskIds: [] }]);
  });

  it('a view that mounts, unmounts and mounts again in one tick sends one call', async () => {
    const fake = createFakeClient({ 'tasks.watch': () => ({ ok: true }) });
    const watch = createTaskWatch(fake.client);
    watch.watch('a', () => {})();
    let confirmations = 0;
    watch.watch('a', () => confirmations++);
    await flushPromises();
    expect(watchCalls(fake.calls)).toEqual([{ taskIds: ['a'] }]);
    expect(confirmations).toBe(1);
  });

  it('watches again after a reconnect, and confirms again', async () => {
    const replies = heldWatch();
    const fake = createFakeClient({ 'tasks.watch': replies.handler });
    const watch = createTaskWatch(fake.client);
    let confirmations = 0;
    watch.watch('a', () => confirmations++);
    await flushPromises();
    await replies.releaseAll();
    expect(confirmations).toBe(1);

    fake.setStatus('reconnecting');
    fake.setStatus('connected');
    await flushPromises();
    expect(watchCalls(fake.calls)).toEqual([{ taskIds: ['a'] }, { taskIds: ['a'] }]);
    expect(confirmations).toBe(1);
    await replies.releaseAll();
    expect(confirmations).toBe(2);
  });

  it('a reply from a connection that dropped confirms nothing; the next one does', async () => {
    const replies = heldWatch();
    const fake = createFakeClient({ 'tasks.watch': replies.handler });
    const watch = createTaskWatch(fake.client);
    let confirmations = 0;
    watch.watch('a', () => confirmations++);
    await flushPromises();
    fake.setStatus('reconnecting');
    await replies.releaseAll();
    expect(confirmations).toBe(0);
    fake.setStatus('connected');
    await flushPromises();
    await replies.releaseAll();
    expect(confirmations).toBe(1);
  });

  it('a host that refuses the call still lets the view load', async () => {
    const fake = createFakeClient({
      'tasks.watch': () => {
        throw new Error('unknown method: "tasks.watch"');
      },
    });
    let confirmations = 0;
    createTaskWatch(fake.client).watch('a', () => confirmations++);
    await flushPromises();
    expect(confirmations).toBe(1);
  });

  it('one watch per client: two views share it, so neither overwrites the other’s set', () => {
    const fake = createFakeClient({});
    expect(taskWatchOf(fake.client)).toBe(taskWatchOf(fake.client));
    expect(taskWatchOf(createFakeClient({}).client)).not.toBe(taskWatchOf(fake.client));
  });
});
