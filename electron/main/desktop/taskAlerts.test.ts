import { describe, expect, it } from 'vitest';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import type { ApprovalRequest } from '../../../shared/model/approval.js';
import { countTasks, TaskAlertLog } from './taskAlerts.js';

function request(requestId: string, command: string): ApprovalRequest {
  return { requestId, callId: `call-${requestId}`, kind: 'untrusted_command', command, reason: '', widening: { network: false, writablePaths: [] }, requestedAt: 1 };
}

describe('which task states are announced', () => {
  it('announces needs-you, failure and review once each, not the states around them', () => {
    const log = new TaskAlertLog();
    log.seed([taskRecord({ id: 't1', status: 'running' })]);
    expect(log.next(taskRecord({ id: 't1', status: 'running', updatedAt: 2 }))).toBeNull();
    expect(log.next(taskRecord({ id: 't1', status: 'review', title: 'Fix login' }))).toMatchObject({ kind: 'review', title: '“Fix login” is ready for review' });
    // Still in Review (the diff stats changed, say): the same state is not news again.
    expect(log.next(taskRecord({ id: 't1', status: 'review', title: 'Fix login', updatedAt: 3 }))).toBeNull();
    expect(log.next(taskRecord({ id: 't1', status: 'running' }))).toBeNull();
    expect(log.next(taskRecord({ id: 't1', status: 'failed', title: 'Fix login', statusReason: 'the model refused' }))).toMatchObject({
      kind: 'failed',
      title: '“Fix login” failed',
      body: 'the model refused',
    });
    expect(log.next(taskRecord({ id: 't1', status: 'stopped' }))).toBeNull();
  });

  it('announces each approval request of a task waiting for the user, each only once', () => {
    const log = new TaskAlertLog();
    const first = taskRecord({ id: 't1', status: 'needs_input', title: 'Deploy', pendingApproval: request('r1', 'make   install') });
    expect(log.next(first)).toMatchObject({ kind: 'needs_you', title: '“Deploy” needs you', body: 'Asks to run: make install' });
    expect(log.next({ ...first, updatedAt: 5 })).toBeNull();
    expect(log.next({ ...first, pendingApproval: request('r2', 'curl example.com') })).toMatchObject({ body: 'Asks to run: curl example.com' });
  });

  it('does not announce what was already there when the app opened', () => {
    const log = new TaskAlertLog();
    log.seed([taskRecord({ id: 't1', status: 'review' })]);
    expect(log.next(taskRecord({ id: 't1', status: 'review', updatedAt: 9 }))).toBeNull();
  });

  it('shows the agent’s control and bidi characters as marks, never as commands to the OS', () => {
    const alert = new TaskAlertLog().next(taskRecord({ id: 't1', status: 'review', title: 'a\u001b[31mred\u202Eevil' }));
    expect(alert?.title).toBe('“a⟨ESC⟩[31mred⟨U+202E⟩evil” is ready for review');
  });
});

describe('the counts the badge and the tray show', () => {
  it('counts running tasks and the Needs you column as the board does', () => {
    const statuses = ['running', 'running', 'queued', 'needs_input', 'failed', 'stopped', 'review', 'backlog'] as const;
    expect(countTasks(statuses.map((status, i) => taskRecord({ id: `t${i}`, status })))).toEqual({ running: 2, needsYou: 3 });
  });
});
