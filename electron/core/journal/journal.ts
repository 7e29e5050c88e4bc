import type { Db } from '../store/database.js';
import { redactStrings, ruleRedactor, type SecretRedactor } from '../redaction/redactSecrets.js';
import { StreamRedactor } from '../redaction/streamRedactor.js';
import { TaskEventBodySchema, type TaskEvent, type TaskEventBody } from '../../../shared/model/taskEvents.js';

/**
 * The append-only event log. `append` writes the row first and only then returns the event
 * for the caller to show, so what a user saw is always on disk.
 *
 * Every string of a payload is redacted before the INSERT (issue 12: secrets never reach
 * SQLite), and the event returned is the redacted one: the screen shows what the journal holds.
 * A command's output arrives in chunks (50 ms batches), so a secret can be split across two:
 * its chunks go through a StreamRedactor per command, which holds back a possible secret's
 * start and writes it with the next chunk (a row may then hold ''); when the command ends,
 * whatever is still held is written as one last output row before the end (and announced
 * through `onDidAppendHeld`, since the caller only announces the event it appended).
 */
export class Journal {
  private readonly insert;
  private readonly selectAfter;
  private readonly selectPage;
  /** Output streams of commands still running, by task and call id. */
  private readonly outputs = new Map<string, StreamRedactor>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
    private readonly redactor: SecretRedactor = ruleRedactor,
    /** Told of the output row written when a command ends (what was held back), to show it like any other. */
    private readonly onDidAppendHeld: (event: TaskEvent) => void = () => {},
  ) {
    this.insert = db.prepare('INSERT INTO journal (task_id, at, kind, payload) VALUES (?, ?, ?, ?)');
    this.selectAfter = db.prepare(
      'SELECT seq, task_id, at, payload FROM journal WHERE task_id = ? AND seq > ? ORDER BY seq',
    );
    this.selectPage = db.prepare('SELECT seq, task_id, at, payload FROM journal WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?');
  }

  append(taskId: string, rawBody: TaskEventBody): TaskEvent {
    const at = this.clock();
    const body = this.redacted(taskId, at, rawBody);
    const info = this.insert.run(taskId, at, body.kind, JSON.stringify(body));
    return { seq: Number(info.lastInsertRowid), taskId, at, body };
  }

  private redacted(taskId: string, at: number, body: TaskEventBody): TaskEventBody {
    if (body.kind === 'command_output') {
      const key = `${taskId}\u0000${body.callId}`;
      let stream = this.outputs.get(key);
      if (!stream) this.outputs.set(key, (stream = new StreamRedactor(this.redactor)));
      return { ...body, chunk: stream.push(at, body.chunk).map((piece) => piece.data).join('') };
    }
    if (body.kind === 'command_finished' || body.kind === 'command_outcome_unknown') this.flushOutput(taskId, body.callId, at);
    // A stopped turn ends its command without command_finished: the status change ends its output.
    if (body.kind === 'status_changed') {
      for (const key of [...this.outputs.keys()]) if (key.startsWith(`${taskId}\u0000`)) this.flushOutput(taskId, key.slice(taskId.length + 1), at);
    }
    return redactStrings(body, (text) => this.redactor.redact(text));
  }

  /** Writes what a command's output stream still holds as one last output row, and forgets the stream. */
  private flushOutput(taskId: string, callId: string, at: number): void {
    const key = `${taskId}\u0000${callId}`;
    const rest = this.outputs.get(key)?.flush().map((piece) => piece.data).join('') ?? '';
    this.outputs.delete(key);
    if (rest === '') return;
    const held: TaskEventBody = { kind: 'command_output', callId, chunk: rest };
    const info = this.insert.run(taskId, at, held.kind, JSON.stringify(held));
    this.onDidAppendHeld({ seq: Number(info.lastInsertRowid), taskId, at, body: held });
  }

  eventsOf(taskId: string, afterSeq = 0): TaskEvent[] {
    const rows = this.selectAfter.all(taskId, afterSeq) as { seq: number; task_id: string; at: number; payload: string }[];
    return rows.map((row) => ({
      seq: row.seq,
      taskId: row.task_id,
      at: row.at,
      body: TaskEventBodySchema.parse(JSON.parse(row.payload)),
    }));
  }

  /**
   * At most `limit` of the task's events after `afterSeq` (only `kinds`, when given), in seq order,
   * and whether more follow: one page of a long journal (a chatty task holds tens of thousands of rows).
   */
  pageOf(taskId: string, afterSeq: number, limit: number, kinds?: readonly TaskEventBody['kind'][]): { events: TaskEvent[]; hasMore: boolean } {
    const rows = (
      kinds
        ? this.db
            .prepare(`SELECT seq, task_id, at, payload FROM journal WHERE task_id = ? AND seq > ? AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY seq LIMIT ?`)
            .all(taskId, afterSeq, ...kinds, limit + 1)
        : this.selectPage.all(taskId, afterSeq, limit + 1)
    ) as { seq: number; task_id: string; at: number; payload: string }[];
    const events = rows.slice(0, limit).map((row) => ({ seq: row.seq, taskId: row.task_id, at: row.at, body: TaskEventBodySchema.parse(JSON.parse(row.payload)) }));
    return { events, hasMore: rows.length > limit };
  }

  /** Only events of the given kinds, e.g. to find unfinished commands without reading their output. */
  eventsOfKinds(taskId: string, kinds: readonly TaskEventBody['kind'][]): TaskEvent[] {
    const placeholders = kinds.map(() => '?').join(', ');
    const rows = this.db
      .prepare(`SELECT seq, task_id, at, payload FROM journal WHERE task_id = ? AND kind IN (${placeholders}) ORDER BY seq`)
      .all(taskId, ...kinds) as { seq: number; task_id: string; at: number; payload: string }[];
    return rows.map((row) => ({ seq: row.seq, taskId: row.task_id, at: row.at, body: TaskEventBodySchema.parse(JSON.parse(row.payload)) }));
  }

  /** The last event of the given kinds for each task, in task order. */
  lastOfKinds(taskIds: readonly string[], kinds: readonly TaskEventBody['kind'][]): TaskEvent[] {
    const kindList = kinds.map(() => '?').join(', ');
    const statement = this.db.prepare(
      `SELECT seq, task_id, at, payload FROM journal WHERE task_id = ? AND kind IN (${kindList}) ORDER BY seq DESC LIMIT 1`,
    );
    return taskIds.flatMap((taskId) => {
      const row = statement.get(taskId, ...kinds) as { seq: number; task_id: string; at: number; payload: string } | undefined;
      return row ? [{ seq: row.seq, taskId: row.task_id, at: row.at, body: TaskEventBodySchema.parse(JSON.parse(row.payload)) }] : [];
    });
  }

  /** Runs `fn` in one transaction: a state change and its journal row land together or not at all. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
