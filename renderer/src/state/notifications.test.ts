import { describe, expect, it } from 'vitest';
import { makeTask } from '../testing/fixtures.js';
import { createFakeTimers } from '../testing/fakeTimers.js';
import {
  createNotificationBatcher,
  documentTitleFor,
  needsYouLabel,
  summarize,
  tasksNeedingAttention,
  type AttentionItem,
  type NotificationContent,
} from './notifications.js';

const item = (taskId: string, kind: AttentionItem['kind'] = 'review', reason: string | null = null): AttentionItem => ({
  taskId,
  title: `Task ${taskId}`,
  kind,
  reason,
});

describe('tasksNeedingAttention', () => {
  it('finds tasks that entered Needs you or Review, and nothing else', () => {
    const before = {
      a: makeTask({ id: 'a', status: 'running' }),
      b: makeTask({ id: 'b', status: 'running' }),
      c: makeTask({ id: 'c', status: 'queued' }),
      d: makeTask({ id: 'd', status: 'stopped' }),
      e: makeTask({ id: 'e', status: 'backlog' }),
    };
    const after = {
      a: makeTask({ id: 'a', status: 'review', updatedAt: 2 }),
      b: makeTask({ id: 'b', status: 'failed', statusReason: 'model said 500', updatedAt: 2 }),
      c: makeTask({ id: 'c', status: 'running', updatedAt: 2 }),
      d: makeTask({ id: 'd', status: 'failed', updatedAt: 2 }), // needs you → needs you: not news
      e: before.e,
      f: makeTask({ id: 'f', status: 'review' }), // unknown before: not news
    };
    expect(tasksNeedingAttention(before, after)).toEqual([
      { taskId: 'a', title: 'Task a', kind: 'review', reason: null },
      { taskId: 'b', title: 'Task b', kind: 'needs_you', reason: 'model said 500' },
    ]);
    expect(tasksNeedingAttention(after, after)).toEqual([]);
  });
});

describe('summarize', () => {
  it('names a single task and gives its reason', () => {
    expect(summarize([item('a', 'needs_you', 'interrupted by a crash')])).toMatchObject({
      title: '“Task a” needs you',
      body: 'interrupted by a crash',
    });
    expect(summarize([item('a')]).title).toBe('“Task a” is ready for review');
  });

  it('counts several, and lists at most five titles', () => {
    const many = [item('a', 'needs_you'), item('b'), item('c'), item('d'), item('e'), item('f'), item('g', 'needs_you')];
    const content = summarize(many);
    expect(content.title).toBe('2 tasks need you · 5 ready for review');
    expect(content.body.split('\n')).toEqual(['• Task a', '• Task b', '• Task c', '• Task d', '• Task e', 'and 2 more']);
    expect(summarize([item('a'), item('b')]).title).toBe('2 tasks ready for review');
    expect(summarize([item('a', 'needs_you'), item('b')]).title).toBe('1 task needs you · 1 ready for review');
  });
});

describe('createNotificationBatcher', () => {
  function setup() {
    const clock = createFakeTimers(50_000);
    const shown: Array<{ at: number; content: NotificationContent }> = [];
    const batcher = createNotificationBatcher({ timers: clock.timers, show: (content) => shown.push({ at: clock.now(), content }) });
    return { clock, shown, batcher };
  }

  it('shows the first at once, then at most one per 2 s summarising the rest', () => {
    const { clock, shown, batcher } = setup();
    batcher.add([item('a')]);
    expect(shown).toHaveLength(1);
    clock.advance(100);
    batcher.add([item('b')]);
    clock.advance(100);
    batcher.add([item('c', 'needs_you'), item('d')]);
    clock.advance(300);
    batcher.add([item('b', 'needs_you')]); // same task again: counted once, latest state
    expect(shown).toHaveLength(1);
    clock.advance(1_500);
    expect(shown).toHaveLength(2);
    expect(shown[1]!.at - shown[0]!.at).toBe(2_000);
    expect(shown[1]!.content.title).toBe('2 tasks need you · 1 ready for review');
    expect(shown[1]!.content.body).toBe('• Task c\n• Task d\n• Task b');
    clock.advance(10_000);
    expect(shown).toHaveLength(2);
  });

  it('a burst of 40 tasks within a few seconds makes at most one notification per 2 s', () => {
    const { clock, shown, batcher } = setup();
    for (let i = 0; i < 40; i++) {
      batcher.add([item(`t${i}`)]);
      clock.advance(150);
    }
    clock.advance(5_000);
    for (let i = 1; i < shown.length; i++) expect(shown[i]!.at - shown[i - 1]!.at).toBeGreaterThanOrEqual(2_000);
    expect(shown.length).toBeLessThanOrEqual(5);
    const total = shown.reduce((n, s) => n + (s.content.title.startsWith('“') ? 1 : Number.parseInt(s.content.title, 10)), 0);
    expect(total).toBe(40);
  });

  it('shows nothing after dispose', () => {
    const { clock, shown, batcher } = setup();
    batcher.add([item('a')]);
    batcher.add([item('b')]);
    batcher.dispose();
    clock.advance(5_000);
    expect(shown).toHaveLength(1);
  });
});

describe('labels', () => {
  it('counts tasks that need you in words and in the window title', () => {
    expect(needsYouLabel(0)).toBe('No task needs you');
    expect(needsYouLabel(1)).toBe('1 task needs you');
    expect(needsYouLabel(4)).toBe('4 tasks need you');
    expect(documentTitleFor(0)).toBe('Flotilla');
    expect(documentTitleFor(3)).toBe('(3) Flotilla');
  });
});
