import { describe, expect, it } from 'vitest';
import { makeTask } from '../../testing/fixtures.js';
import { cardClock, cardNow } from './cardClock.js';

describe('cardClock', () => {
  it('counts a running task from when it started running', () => {
    const task = makeTask({ status: 'running', createdAt: 0, updatedAt: 600_000 });
    expect(cardClock(task, 600_000 + 42_000)).toMatchObject({ text: '42s', title: 'Running for 42s' });
  });

  it('counts every other task from its creation', () => {
    for (const status of ['backlog', 'queued', 'review', 'failed', 'merged'] as const) {
      const task = makeTask({ status, createdAt: 0, updatedAt: 600_000 });
      expect(cardClock(task, 3 * 3_600_000 + 5 * 60_000)).toMatchObject({ text: '3h 5m', title: 'Created 3h 5m ago' });
    }
  });
});

describe('cardNow', () => {
  it('is exact in the first minute, then changes once a minute', () => {
    const task = makeTask({ status: 'review', createdAt: 1_000_000 });
    expect(cardNow(task, 1_030_000)).toBe(1_030_000);
    const created = 1_000_000;
    const a = cardNow(task, created + 3 * 60_000 + 5_000);
    const b = cardNow(task, created + 3 * 60_000 + 55_000);
    expect(a).toBe(b);
    expect(cardNow(task, created + 4 * 60_000 + 1)).not.toBe(a);
    // The rounded value never shows another minute than the exact one would.
    for (let t = created + 60_000; t < created + 600_000; t += 7_000) {
      expect(cardClock(task, cardNow(task, t)).text).toBe(cardClock(task, t).text);
    }
  });
});
