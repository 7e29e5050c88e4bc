import { describe, expect, it } from 'vitest';
import { createFakeClient, flushPromises } from '../testing/fakeClient.js';
import { makeRepo, makeTask } from '../testing/fixtures.js';
import { createAppStore } from './appStore.js';
import { selectTasksByColumn } from './selectors.js';
import { startSync } from './startSync.js';

describe('startSync', () => {
  it('loads tasks and repos, then follows live events', async () => {
    const fake = createFakeClient({
      'tasks.list': () => ({ tasks: [makeTask({ id: 'a', status: 'running' })] }),
      'repos.list': () => ({ repos: [makeRepo()] }),
    });
    const store = createAppStore();
    startSync(fake.client, store);
    await flushPromises();
    expect(store.getState().isTasksLoaded).toBe(true);
    expect(store.getState().repos).toHaveLength(1);
    expect(selectTasksByColumn(store.getState()).in_progress.map((t) => t.id)).toEqual(['a']);

    fake.emit('tasks.onDidChange', { task: makeTask({ id: 'a', status: 'review', updatedAt: 2_000 }) });
    expect(selectTasksByColumn(store.getState()).review.map((t) => t.id)).toEqual(['a']);
    fake.emit('repos.onDidChange', { repos: [] });
    expect(store.getState().repos).toEqual([]);
  });

  it('reloads the list after a reconnect, since events were missed', async () => {
    let listed = [makeTask({ id: 'a', status: 'running' })];
    const fake = createFakeClient({
      'tasks.list': () => ({ tasks: listed }),
      'repos.list': () => ({ repos: [] }),
    });
    const store = createAppStore();
    startSync(fake.client, store);
    await flushPromises();
    fake.setStatus('reconnecting');
    expect(store.getState().connection).toBe('reconnecting');
    // While down, the task finished; no event reached us.
    listed = [makeTask({ id: 'a', status: 'review', updatedAt: 3_000 })];
    fake.setStatus('connected');
    await flushPromises();
    expect(store.getState().connection).toBe('connected');
    expect(store.getState().tasks.a?.status).toBe('review');
    expect(fake.calls.filter((c) => c.method === 'tasks.list')).toHaveLength(2);
  });

  it('shows a failed load and clears it on the next good one', async () => {
    let isBroken = true;
    const fake = createFakeClient({
      'tasks.list': () => {
        if (isBroken) throw new Error('internal error: db locked');
        return { tasks: [] };
      },
      'repos.list': () => ({ repos: [] }),
    });
    const store = createAppStore();
    startSync(fake.client, store);
    await flushPromises();
    expect(store.getState().loadError).toBe('Could not load tasks: internal error: db locked');
    isBroken = false;
    fake.setStatus('reconnecting');
    fake.setStatus('connected');
    await flushPromises();
    expect(store.getState().loadError).toBeNull();
  });

  it('unsubscribes everything when stopped', async () => {
    const fake = createFakeClient({ 'tasks.list': () => ({ tasks: [] }), 'repos.list': () => ({ repos: [] }) });
    const stop = startSync(fake.client, createAppStore());
    expect(fake.listenerCount()).toBe(3);
    stop();
    expect(fake.listenerCount()).toBe(0);
  });
});
