import { afterAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import { removeTempDirs, tempDir } from '../git/testRepos.js';
import { createSecretRedactor } from '../redaction/redactSecrets.js';
import { openDatabase } from '../store/database.js';
import { Journal } from './journal.js';

afterAll(removeTempDirs);

const token = `ghp_${'aB3dE5gH7jK9'.repeat(3)}`;

describe('Journal: secrets never reach the database', () => {
  it('redacts every string of a payload before the INSERT and returns the redacted event', () => {
    const db = openDatabase(tempDir('journal'));
    const journal = new Journal(db, () => 1, createSecretRedactor(() => ['my-marked-value']));
    const event = journal.append('t1', { kind: 'agent_message', text: `use ${token} and my-marked-value` });
    expect(event.body).toEqual({ kind: 'agent_message', text: 'use ghp_**** and ****' });
    const raw = (db.prepare('SELECT payload FROM journal').all() as { payload: string }[]).map((r) => r.payload).join('');
    expect(raw).not.toContain(token);
    expect(raw).not.toContain('my-marked-value');
    expect(journal.eventsOf('t1').map((e) => e.body)).toEqual([event.body]);
    db.close();
  });

  it("catches a secret split across a command's output rows, and writes what it held when the command ends", () => {
    const db = openDatabase(tempDir('journal'));
    const announced: TaskEvent[] = [];
    const journal = new Journal(db, () => 1, undefined, (event) => announced.push(event));
    journal.append('t1', { kind: 'command_started', callId: 'c1', command: 'cat creds' });
    const first = journal.append('t1', { kind: 'command_output', callId: 'c1', chunk: `key: ${token.slice(0, 9)}` });
    const second = journal.append('t1', { kind: 'command_output', callId: 'c1', chunk: `${token.slice(9)}\nall done` });
    // "all done" may be the start of a token until the command ends: held, then written before the end.
    expect([first.body, second.body]).toEqual([
      { kind: 'command_output', callId: 'c1', chunk: 'key: ' },
      { kind: 'command_output', callId: 'c1', chunk: 'ghp_****\nall ' },
    ]);
    const finished = journal.append('t1', { kind: 'command_finished', callId: 'c1', exitCode: 0, durationMs: 3, isKilled: false });
    expect(announced.map((e) => e.body)).toEqual([{ kind: 'command_output', callId: 'c1', chunk: 'done' }]);
    expect(announced[0]?.seq).toBeLessThan(finished.seq);
    const output = journal
      .eventsOf('t1')
      .flatMap((e) => (e.body.kind === 'command_output' ? [e.body.chunk] : []))
      .join('');
    expect(output).toBe('key: ghp_****\nall done');
    const raw = (db.prepare('SELECT payload FROM journal').all() as { payload: string }[]).map((r) => r.payload).join('');
    expect(raw).not.toContain(token.slice(4, 12));
    db.close();
  });

  it("writes a stopped command's held output when the task's status changes (a stop sends no command_finished)", () => {
    const db = openDatabase(tempDir('journal'));
    const announced: TaskEvent[] = [];
    const journal = new Journal(db, () => 1, undefined, (event) => announced.push(event));
    journal.append('t1', { kind: 'command_started', callId: 'c1', command: 'sleep 100' });
    journal.append('t1', { kind: 'command_output', callId: 'c1', chunk: 'waiting' });
    journal.append('t1', { kind: 'status_changed', from: 'running', to: 'stopped', reason: null });
    expect(announced.map((e) => e.body)).toEqual([{ kind: 'command_output', callId: 'c1', chunk: 'waiting' }]);
    db.close();
  });
});

