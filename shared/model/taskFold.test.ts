import { describe, expect, it } from 'vitest';
import { taskRecord } from '../../test/fixtures/taskRecords.js';
import type { ApprovalRequest } from './approval.js';
import type { TaskEvent, TaskEventBody } from './taskEvents.js';
import { applyTaskEvent, foldTask, foldTasks, isSameJson, taskPatchBetween } from './taskFold.js';

const request: ApprovalRequest = {
  requestId: 'q1',
  callId: 'c1',
  kind: 'escalation',
  command: 'curl https://example.com',
  reason: 'download the fixtures',
  widening: { network: true, writablePaths: [] },
  requestedAt: 5,
};

let seq = 0;
const event = (taskId: string, body: TaskEventBody, at = seq + 100): TaskEvent => ({ seq: ++seq, taskId, at, body });

describe('applyTaskEvent', () => {
  it('folds a task’s life into the fields its card shows: status, reason, approval, merge, updatedAt', () => {
    const created = taskRecord({ id: 't1' });
    const events = [
      event('t1', { kind: 'task_created', task: created }, 10),
      event('t1', { kind: 'status_changed', from: 'backlog', to: 'queued', reason: null }, 20),
      event('t1', { kind: 'status_changed', from: 'queued', to: 'running', reason: null }, 30),
      event('t1', { kind: 'command_started', callId: 'c0', command: 'ls' }, 31),
      event('t1', { kind: 'approval_requested', request }, 40),
      event('t1', { kind: 'status_changed', from: 'running', to: 'needs_input', reason: 'approval needed' }, 41),
    ];
    const asking = foldTask(events);
    expect(asking).toEqual({ ...created, status: 'needs_input', statusReason: 'approval needed', pendingApproval: request, updatedAt: 41 });

    const decided = [
      ...events,
      event('t1', { kind: 'approval_decided', requestId: 'q1', decision: { decision: 'approve', scope: 'task', message: null } }, 50),
      event('t1', { kind: 'status_changed', from: 'needs_input', to: 'running', reason: null }, 51),
      event('t1', { kind: 'task_updated', patch: { grants: { network: true, writablePaths: [], commands: [] } } }, 51),
      event('t1', { kind: 'status_changed', from: 'running', to: 'review', reason: null }, 60),
      event('t1', { kind: 'task_updated', patch: { usage: { inputTokens: 120, outputTokens: 7 } } }, 60),
      event('t1', { kind: 'merged', commit: 'c'.repeat(40), strategy: 'squash' }, 70),
      event('t1', { kind: 'status_changed', from: 'review', to: 'merged', reason: null }, 71),
    ];
    expect(foldTask(decided)).toEqual({
      ...created,
      status: 'merged',
      statusReason: null,
      pendingApproval: null,
      grants: { network: true, writablePaths: [], commands: [] },
      usage: { inputTokens: 120, outputTokens: 7 },
      mergeCommit: 'c'.repeat(40),
      mergeStrategy: 'squash',
      updatedAt: 71,
    });
  });

  it('ignores events before a task_created and events that only the transcript shows', () => {
    expect(applyTaskEvent(undefined, event('t9', { kind: 'status_changed', from: 'backlog', to: 'queued', reason: null }))).toBeUndefined();
    const task = taskRecord({ id: 't2' });
    expect(applyTaskEvent(task, event('t2', { kind: 'agent_message', text: 'hi' }))).toBe(task);
    expect(applyTaskEvent(task, event('t2', { kind: 'checkpoint', commit: 'a'.repeat(40), filesChanged: 1, turn: 1 }))).toBe(task);
  });

  it('never mutates the task it is given', () => {
    const task = Object.freeze(taskRecord({ id: 't3' }));
    const next = applyTaskEvent(task, event('t3', { kind: 'task_updated', patch: { prUrl: 'https://example.com/pr/1' } }));
    expect(next?.prUrl).toBe('https://example.com/pr/1');
    expect(task.prUrl).toBeUndefined();
  });
});

describe('foldTasks', () => {
  it('keeps each task apart, in journal order', () => {
    const board = foldTasks([
      event('a', { kind: 'task_created', task: taskRecord({ id: 'a' }) }),
      event('b', { kind: 'task_created', task: taskRecord({ id: 'b' }) }),
      event('a', { kind: 'status_changed', from: 'backlog', to: 'queued', reason: null }, 7),
    ]);
    expect(Object.keys(board)).toEqual(['a', 'b']);
    expect(board.a?.status).toBe('queued');
    expect(board.b?.status).toBe('backlog');
  });
});

describe('taskPatchBetween', () => {
  it('holds only the fields that differ, each whole, and applying it gives the newer task', () => {
    const before = taskRecord({ id: 't4' });
    const after = { ...before, usage: { inputTokens: 5, outputTokens: 1 }, archivedAt: 9, updatedAt: 9 };
    const patch = taskPatchBetween(before, after);
    expect(patch).toEqual({ usage: { inputTokens: 5, outputTokens: 1 }, archivedAt: 9, updatedAt: 9 });
    expect(applyTaskEvent(before, event('t4', { kind: 'task_updated', patch }))).toEqual(after);
    expect(taskPatchBetween(after, structuredClone(after))).toEqual({});
  });

  it('compares JSON values deeply: key order does not matter, array order does', () => {
    expect(isSameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(isSameJson([1, 2], [2, 1])).toBe(false);
    expect(isSameJson({ a: null }, { a: undefined })).toBe(false);
    expect(isSameJson({ a: undefined }, {})).toBe(true);
  });
});
