import { describe, expect, it } from 'vitest';
import { failure } from '../../../shared/contract.js';
import type { TaskDiff } from '../../../shared/model/diff.js';
import type { TaskEvent, TaskEventBody } from '../../../shared/model/taskEvents.js';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import { ReviewComments, describeRanges } from './reviewComments.js';

const PATCH = ['diff --git a/a.ts b/a.ts', '--- a/a.ts', '+++ b/a.ts', '@@ -1,2 +1,3 @@', ' one', '+two', ' three'].join('\n');
const DIFF: TaskDiff = {
  fromCommit: 'a',
  toCommit: 'b',
  files: [{ path: 'a.ts', oldPath: null, change: 'modified', additions: 1, deletions: 0, patch: PATCH, isTruncated: false, sensitive: false, sensitiveReason: null }],
};

/** ReviewComments over an in-memory journal; `isSendRefused`: the follow-up turn is refused. */
function setUp(opts: { isSendRefused?: boolean } = {}) {
  const events: TaskEvent[] = [];
  const sent: string[] = [];
  const task = taskRecord({ id: 't1', status: 'review' });
  const comments = new ReviewComments({
    tasks: { get: (id) => (id === 't1' ? task : undefined), agentHistory: () => ({ history: [], turns: 1 }) },
    journal: { eventsOfKinds: (taskId) => events.filter((event) => event.taskId === taskId) },
    transitions: { record: (taskId: string, body: TaskEventBody) => void events.push({ seq: events.length + 1, taskId, at: 0, body }) },
    diff: async () => ({ ok: true, diff: DIFF }),
    send: (_id, message) => {
      if (opts.isSendRefused) return failure('invalid_state', 'task t1 cannot take a message now: its agent is still working');
      sent.push(message);
      return { ok: true, task: { ...task, status: 'queued' } };
    },
    clock: () => 1_000,
  });
  return { comments, sent, events };
}

describe('ReviewComments', () => {
  it('quotes the lines of the range as the diff shows them', async () => {
    const { comments } = setUp();
    const added = await comments.add('t1', { file: 'a.ts', startLine: 1, endLine: 2, text: 'why two?' });
    expect(added).toMatchObject({ ok: true, comment: { quote: 'one\ntwo', kind: 'comment', sentAt: null } });
  });

  it('leaves every comment unsent when the turn is refused, and says why', async () => {
    const { comments } = setUp({ isSendRefused: true });
    await comments.add('t1', { file: 'a.ts', startLine: 2, text: 'x' });
    expect(comments.requestChanges('t1', {})).toMatchObject({ ok: false, kind: 'invalid_state' });
    const listed = comments.list('t1');
    expect(listed.ok && listed.comments.map((c) => c.sentAt)).toEqual([null]);
  });

  it('sends the unsent comments once, recording the turn that answers them', async () => {
    const { comments, sent } = setUp();
    await comments.add('t1', { file: 'a.ts', startLine: 3, text: 'keep three' });
    const result = comments.requestChanges('t1', { message: 'Please' });
    expect(result.ok && result.sent.map((c) => c.answeredInTurn)).toEqual([2]);
    expect(sent).toEqual(['Please\n\nThe reviewer requests changes. Address this review comment on your work, then summarise what you changed for each:\n\n1. a.ts, line 3:\n> three\nkeep three']);
    expect(comments.requestChanges('t1', {})).toMatchObject({ ok: false, kind: 'invalid_state' });
  });
});

describe('describeRanges', () => {
  it('names runs of lines', () => {
    expect(describeRanges([9, 3, 4, 5])).toBe('lines 3-5, 9');
  });
});
