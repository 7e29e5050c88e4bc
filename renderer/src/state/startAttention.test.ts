import { describe, expect, it } from 'vitest';
import { makeTask } from '../testing/fixtures.js';
import { createFakeTimers } from '../testing/fakeTimers.js';
import { createAppStore } from './appStore.js';
import type { NotificationContent } from './notifications.js';
import { startAttention } from './startAttention.js';

describe('startAttention', () => {
  function setup(isAway: boolean) {
    const store = createAppStore();
    const clock = createFakeTimers();
    const shown: NotificationContent[] = [];
    const titles: string[] = [];
    const away = { value: isAway };
    const stop = startAttention(store, {
      show: (c) => shown.push(c),
      isAway: () => away.value,
      setTitle: (t) => titles.push(t),
      timers: clock.timers,
    });
    return { store, clock, shown, titles, away, stop };
  }

  it('keeps the window title on the Needs you count', () => {
    const { store, titles } = setup(false);
    store.getState().receiveTaskList([makeTask({ id: 'a', status: 'running' }), makeTask({ id: 'b', status: 'failed' })]);
    store.getState().receiveTask(makeTask({ id: 'a', status: 'stopped', updatedAt: 5_000 }));
    store.getState().receiveTask(makeTask({ id: 'a', status: 'queued', updatedAt: 6_000 }));
    expect(titles).toEqual(['Flotilla', '(1) Flotilla', '(2) Flotilla', '(1) Flotilla']);
  });

  it('notifies, batched, only while the user is away; not for the first load', () => {
    const { store, clock, shown, away } = setup(true);
    store.getState().receiveTaskList([makeTask({ id: 'a', status: 'running' }), makeTask({ id: 'b', status: 'running' }), makeTask({ id: 'c', status: 'review' })]);
    expect(shown).toEqual([]);
    store.getState().receiveTask(makeTask({ id: 'a', title: 'Fix login', status: 'review', updatedAt: 5_000 }));
    store.getState().receiveTask(makeTask({ id: 'b', status: 'failed', updatedAt: 5_000 }));
    clock.advance(2_000);
    expect(shown.map((c) => c.title)).toEqual(['“Fix login” is ready for review', '“Task b” needs you']);
    expect(shown[0]?.taskId).toBe('a');

    away.value = false;
    store.getState().receiveTask(makeTask({ id: 'b', status: 'queued', updatedAt: 6_000 }));
    store.getState().receiveTask(makeTask({ id: 'b', status: 'running', updatedAt: 7_000 }));
    store.getState().receiveTask(makeTask({ id: 'b', status: 'review', updatedAt: 8_000 }));
    clock.advance(5_000);
    expect(shown).toHaveLength(2);
  });

  it('stops listening when disposed', () => {
    const { store, clock, shown, stop } = setup(true);
    store.getState().receiveTaskList([makeTask({ id: 'a', status: 'running' })]);
    stop();
    store.getState().receiveTask(makeTask({ id: 'a', status: 'review', updatedAt: 5_000 }));
    clock.advance(5_000);
    expect(shown).toEqual([]);
  });
});
