import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decisionPointsOf } from '../shared/model/decisionPoints.js';
import type { TaskEvent, TaskEventBody } from '../shared/model/taskEvents.js';
import type { Task } from '../shared/model/task.js';
import { importedTask } from '../electron/core/replay/importers/importer.js';
import { SESSION_IDLE_GAP_MS, localSessions } from '../electron/core/replay/localSessions.js';
import { openDatabase } from '../electron/core/store/database.js';

/**
 * The expert's decisions found in a journal (what shadow mode stops at), and the live journal
 * split into sessions by idle gaps with ids that stay put as the journal grows.
 */

function journalOf(...bodies: [string, TaskEventBody][]): TaskEvent[] {
  return bodies.map(([taskId, body], index) => ({ seq: index + 1, taskId, at: 1_000 * (index + 1), body }));
}

const task = (id: string): Task => importedTask({ id, title: id, prompt: '', cwd: '/r', model: 'm', at: 0 });
const created = (id: string): [string, TaskEventBody] => [id, { kind: 'task_created', task: { ...task(id), status: 'queued' } }];
const moved = (id: string, from: Task['status'], to: Task['status']): [string, TaskEventBody] => [id, { kind: 'status_changed', from, to, reason: null }];
const request = (requestId: string) => ({ requestId, callId: 'c', kind: 'untrusted_command' as const, command: 'rm -rf build', reason: '', widening: { network: false, writablePaths: [] }, requestedAt: 0 });
const comment = (sentAt: number | null) => ({ id: 'k1', kind: 'comment' as const, file: 'a.ts', startLine: 1, endLine: 1, quote: '', text: 'use a const', title: null, priority: null, confidence: null, createdAt: 0, sentAt, answeredInTurn: sentAt === null ? null : 2 });

describe('decisionPointsOf', () => {
  it('finds approvals, merges, requested changes, discards and follow-ups after failures, with what the expert did', () => {
    const events = journalOf(
      created('a'),
      moved('a', 'queued', 'running'),
      ['a', { kind: 'approval_requested', request: request('r1') }],
      moved('a', 'running', 'needs_input'),
      ['a', { kind: 'approval_decided', requestId: 'r1', decision: { decision: 'deny', scope: 'once', message: 'not the build folder' } }],
      moved('a', 'needs_input', 'running'),
      moved('a', 'running', 'review'), // 7
      ['a', { kind: 'review_comment', comment: comment(null) }],
      ['a', { kind: 'user_message', text: 'Please address my comments' }],
      moved('a', 'review', 'queued'),
      ['a', { kind: 'review_comment', comment: comment(11_000) }],
      moved('a', 'queued', 'running'),
      moved('a', 'running', 'review'), // 13
      ['a', { kind: 'merged', commit: 'abc', strategy: 'squash' }],
      moved('a', 'review', 'merged'),
      created('b'),
      moved('b', 'queued', 'running'),
      moved('b', 'running', 'failed'), // 18
      ['b', { kind: 'user_message', text: 'try again with the fixture' }],
      moved('b', 'failed', 'queued'),
      moved('b', 'queued', 'running'),
      moved('b', 'running', 'failed'), // 22
      moved('b', 'failed', 'discarded'),
      created('c'),
      moved('c', 'queued', 'running'),
      moved('c', 'running', 'review'), // 26
      ['c', { kind: 'user_message', text: 'also update the README' }],
    );
    expect(decisionPointsOf(events).map((point) => [point.seq, point.kind, point.taskId, point.expert.action, point.expert.seq, point.expert.detail])).toEqual([
      [3, 'approval', 'a', 'deny', 5, 'not the build folder'],
      [7, 'review', 'a', 'request_changes', 9, 'Please address my comments'],
      [13, 'review', 'a', 'merge', 14, 'squash'],
      [18, 'follow_up', 'b', 'send', 19, 'try again with the fixture'],
      [22, 'discard', 'b', 'discard', 23, null],
      [26, 'review', 'c', 'send', 27, 'also update the README'],
    ]);
    // `at` is when the decision was asked: where the player stops.
    expect(decisionPointsOf(events)[0]).toMatchObject({ at: 3_000, expert: { at: 5_000 } });
  });

  it('ignores a decision asked and never made, and events of other tasks in between', () => {
    const events = journalOf(created('a'), ['a', { kind: 'approval_requested', request: request('r1') }], created('b'), ['b', { kind: 'approval_decided', requestId: 'r1', decision: { decision: 'approve', scope: 'task', message: null } }]);
    expect(decisionPointsOf(events)).toEqual([]);
  });
});

describe('localSessions', () => {
  it('splits the journal at idle gaps of an hour or more; ids stay put as sessions grow and new ones start', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-sessions-'));
    const db = openDatabase(home);
    try {
      const insert = db.prepare("INSERT INTO journal (task_id, at, kind, payload) VALUES (?, ?, 'note', '{\"kind\":\"note\",\"text\":\"x\"}')");
      const hour = SESSION_IDLE_GAP_MS;
      insert.run('a', 0);
      insert.run('b', hour - 1);
      const first = localSessions(db);
      expect(first.map((session) => [session.id, session.events, session.taskIds.size])).toEqual([['local-1', 2, 2]]);
      insert.run('a', 2 * hour - 1); // exactly an hour after the last: a new session
      insert.run('c', 2 * hour + 5);
      const second = localSessions(db);
      expect(second.map((session) => [session.id, session.firstSeq, session.lastSeq, session.startedAt, session.endedAt])).toEqual([
        ['local-1', 1, 2, 0, hour - 1],
        ['local-3', 3, 4, 2 * hour - 1, 2 * hour + 5],
      ]);
    } finally {
      db.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
