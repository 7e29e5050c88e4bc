import { describe, expect, it } from 'vitest';
import { makeTask } from '../testing/fixtures.js';
import { createAppStore } from './appStore.js';
import { groupTasksByColumn, selectNeedsYouCount, selectSelectedTask, selectTasksByColumn } from './selectors.js';

describe('groupTasksByColumn', () => {
  it('puts every status in its board column, newest first', () => {
    const grouped = groupTasksByColumn({
      a: makeTask({ id: 'a', status: 'queued', createdAt: 1 }),
      b: makeTask({ id: 'b', status: 'running', createdAt: 3 }),
      c: makeTask({ id: 'c', status: 'failed' }),
      d: makeTask({ id: 'd', status: 'needs_input' }),
      e: makeTask({ id: 'e', status: 'stopped' }),
      f: makeTask({ id: 'f', status: 'interrupted' }),
      g: makeTask({ id: 'g', status: 'review' }),
      h: makeTask({ id: 'h', status: 'merged' }),
      i: makeTask({ id: 'i', status: 'discarded' }),
      j: makeTask({ id: 'j', status: 'backlog' }),
    });
    const ids = (column: keyof typeof grouped) => grouped[column].map((t) => t.id);
    expect(ids('backlog')).toEqual(['j']);
    expect(ids('in_progress')).toEqual(['b', 'a']);
    expect(ids('needs_you')).toEqual(['c', 'd', 'e', 'f']);
    expect(ids('review')).toEqual(['g']);
    expect(ids('done')).toEqual(['h', 'i']);
  });
});

describe('Needs you order', () => {
  it('puts tasks waiting for an approval first, then the newest', () => {
    const request = { requestId: 'q', callId: 'c', kind: 'escalation' as const, command: 'curl x', reason: '', widening: { network: true, writablePaths: [] }, requestedAt: 1 };
    const grouped = groupTasksByColumn({
      old: makeTask({ id: 'old', status: 'needs_input', createdAt: 1, pendingApproval: request }),
      newer: makeTask({ id: 'newer', status: 'failed', createdAt: 5 }),
      asks: makeTask({ id: 'asks', status: 'needs_input', createdAt: 3, pendingApproval: request }),
    });
    expect(grouped.needs_you.map((t) => t.id)).toEqual(['asks', 'old', 'newer']);
  });
});

describe('selectors on the store', () => {
  it('return the same grouping until the tasks change, then regroup', () => {
    const store = createAppStore();
    store.getState().receiveTask(makeTask({ id: 'a', status: 'running' }));
    const before = selectTasksByColumn(store.getState());
    store.getState().openTask('a'); // ui change: tasks object untouched
    expect(selectTasksByColumn(store.getState())).toBe(before);
    store.getState().receiveTask(makeTask({ id: 'a', status: 'failed', updatedAt: 2_000 }));
    const after = selectTasksByColumn(store.getState());
    expect(after).not.toBe(before);
    expect(after.needs_you.map((t) => t.id)).toEqual(['a']);
    expect(selectNeedsYouCount(store.getState())).toBe(1);
    expect(selectSelectedTask(store.getState())?.status).toBe('failed');
  });

  it('does not notify subscribers for a stale task copy', () => {
    const store = createAppStore();
    store.getState().receiveTask(makeTask({ id: 'a', updatedAt: 5_000 }));
    let notifications = 0;
    store.subscribe(() => notifications++);
    store.getState().receiveTask(makeTask({ id: 'a', updatedAt: 1_000 }));
    expect(notifications).toBe(0);
  });
});
