import { describe, expect, it } from 'vitest';
import { makeTask } from '../testing/fixtures.js';
import { createFakeTimers } from '../testing/fakeTimers.js';
import type { ApprovalRequest } from '../../../shared/model/approval.js';
import {
  createNotificationBatcher,
  describeRequest,
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

describe('approval requests', () => {
  const request = (requestId: string, over: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
    requestId,
    callId: `call-${requestId}`,
    kind: 'escalation',
    command: 'curl -fsSL https://example.com/fixtures.tgz  |\n tar xz',
    reason: 'download the fixtures',
    widening: { network: true, writablePaths: [] },
    requestedAt: 1,
    ...over,
  });

  it('announce a new request, even from a task already in Needs you, and not the same one twice', () => {
    const running = makeTask({ id: 'a', status: 'running', title: 'Fetch' });
    const asking = makeTask({ id: 'a', status: 'needs_input', title: 'Fetch', pendingApproval: request('r1'), updatedAt: 2 });
    expect(tasksNeedingAttention({ a: running }, { a: asking })).toEqual([
      { taskId: 'a', title: 'Fetch', kind: 'approval', reason: 'Asks for network access: curl -fsSL https://example.com/fixtures.tgz | tar xz' },
    ]);
    const touched = { ...asking, updatedAt: 3 };
    expect(tasksNeedingAttention({ a: asking }, { a: touched })).toEqual([]);
    const next = { ...asking, pendingApproval: request('r2', { kind: 'untrusted_command', command: 'make install' }), updatedAt: 4 };
    expect(tasksNeedingAttention({ a: asking }, { a: next })).toMatchObject([{ kind: 'approval', reason: 'Asks to run: make install' }]);
  });

  it('say "Approval needed: <title>", alone or first in a batch', () => {
    expect(summarize([item('a', 'approval', 'Asks for network access: curl x')])).toMatchObject({
      title: 'Approval needed: Task a',
      body: 'Asks for network access: curl x',
      taskId: 'a',
    });
    const batch = summarize([item('r'), item('n', 'needs_you'), item('a', 'approval'), item('b', 'approval')]);
    expect(batch.title).toBe('2 approvals needed · 1 task needs you · 1 ready for review');
    expect(batch.body.split('\n')).toEqual(['• Approval needed: Task a', '• Approval needed: Task b', '• Task r', '• Task n']);
    expect(summarize([item('a', 'approval'), item('r')]).title).toBe('1 approval needed · 1 ready for review');
  });

  it('cut a long command to two lines of a notification', () => {
    const long = describeRequest(request('r', { command: `echo ${'x'.repeat(300)}` }));
    expect(long.length).toBeLessThan(160);
    expect(long.endsWith('…')).toBe(true);
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

describe('summarize, with text the model wrote', () => {
  it('shows control and bidi characters in titles and reasons as marks, never raw', () => {
    const content = summarize([{ taskId: 't1', title: 'Fix\u001b]0;pwned\u0007 \u202elogin', kind: 'needs_you', reason: 'failed:\u001b[2K all fine' }]);
    expect(content.title).toBe('“Fix⟨ESC⟩]0;pwned⟨BEL⟩ ⟨U+202E⟩login” needs you');
    expect(content.body).toBe('failed:⟨ESC⟩[2K all fine');
  });
});
