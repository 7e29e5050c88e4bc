import type { Db } from '../store/database.js';
import type { ReplaySource, ReplaySummary } from '../../../shared/contracts/replay.js';
import { TaskEventBodySchema, type TaskEvent } from '../../../shared/model/taskEvents.js';

/**
 * Imported recordings (migration m008): the `replays` row, its events (the journal's columns plus
 * `replay_id`) and the terminal recordings by content hash. Nothing here touches the live journal.
 */

export interface ReplayRow {
  id: string;
  source: Exclude<ReplaySource, 'local'>;
  title: string;
  fileName: string;
  importedAt: number;
  skipped: Record<string, number>;
}

type EventRow = { seq: number; task_id: string; at: number; payload: string };

/** 1000 rows a page: readers page by seq instead of holding a cursor open across awaits. */
export const EVENT_PAGE_ROWS = 1000;

export class ReplayStore {
  constructor(private readonly db: Db) {}

  /**
   * Copies a finished import's staging database (importSink.ts) in, with its `replays` row, in
   * one transaction: all of it lands or none does. The host waits for it (one writer, one
   * thread): measured ~2.4 s for 96 MiB of events on a loaded 2-core machine.
   */
  adopt(stagingFile: string, replay: ReplayRow): void {
    this.db.prepare('ATTACH DATABASE ? AS staging').run(stagingFile);
    try {
      this.db.transaction(() => {
        this.db
          .prepare('INSERT INTO replays (id, source, title, file_name, imported_at, skipped) VALUES (?, ?, ?, ?, ?, ?)')
          .run(replay.id, replay.source, replay.title, replay.fileName, replay.importedAt, JSON.stringify(replay.skipped));
        this.db
          .prepare('INSERT INTO replay_events (replay_id, seq, task_id, at, kind, payload) SELECT ?, seq, task_id, at, kind, payload FROM staging.replay_events')
          .run(replay.id);
        // Content-addressed: a recording already stored (imported twice) is the same bytes, kept
        // whole as it was (its parts may be cut elsewhere: never mix two cuts of one recording).
        this.db.exec(
          'INSERT INTO replay_blobs (sha256, part, data) SELECT s.sha256, s.part, s.data FROM staging.replay_blobs s WHERE NOT EXISTS (SELECT 1 FROM main.replay_blobs m WHERE m.sha256 = s.sha256)',
        );
      })();
    } finally {
      this.db.exec('DETACH DATABASE staging');
    }
  }

  /** Every imported replay, newest first; or only `id`'s. */
  list(id?: string): ReplaySummary[] {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.source, r.title, r.imported_at, MIN(e.at) AS started_at, MAX(e.at) AS ended_at,
                COUNT(e.seq) AS events, COUNT(DISTINCT e.task_id) AS tasks
           FROM replays r LEFT JOIN replay_events e ON e.replay_id = r.id
          WHERE ? IS NULL OR r.id = ?
          GROUP BY r.id ORDER BY r.imported_at DESC, r.id`,
      )
      .all(id ?? null, id ?? null) as { id: string; source: ReplaySource; title: string; imported_at: number; started_at: number | null; ended_at: number | null; events: number; tasks: number }[];
    return rows.map((row) => ({
      id: row.id,
      source: row.source,
      title: row.title,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      tasks: row.tasks,
      events: row.events,
      importedAt: row.imported_at,
    }));
  }

  get(id: string): ReplayRow | undefined {
    const row = this.db.prepare('SELECT id, source, title, file_name, imported_at, skipped FROM replays WHERE id = ?').get(id) as
      | { id: string; source: ReplayRow['source']; title: string; file_name: string; imported_at: number; skipped: string }
      | undefined;
    if (!row) return undefined;
    return { id: row.id, source: row.source, title: row.title, fileName: row.file_name, importedAt: row.imported_at, skipped: JSON.parse(row.skipped) as Record<string, number> };
  }

  /** One page of a replay's events after `afterSeq`, in order; kinds this Flotilla cannot read are left out. */
  eventsPage(id: string, afterSeq: number): { events: TaskEvent[]; lastSeq: number | null; rows: number } {
    const rows = this.db
      .prepare('SELECT seq, task_id, at, payload FROM replay_events WHERE replay_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(id, afterSeq, EVENT_PAGE_ROWS) as EventRow[];
    return { events: parseEventRows(rows), lastSeq: rows.at(-1)?.seq ?? null, rows: rows.length };
  }

  /** A recording's parts in order, one at a time (each about 1 MiB). */
  *blobParts(sha256: string): Generator<Buffer> {
    const statement = this.db.prepare('SELECT data FROM replay_blobs WHERE sha256 = ? AND part = ?');
    for (let part = 0; ; part += 1) {
      const row = statement.get(sha256, part) as { data: Buffer } | undefined;
      if (!row) return;
      yield row.data;
    }
  }
}

/** Journal-shaped rows to events, leaving out any whose payload this Flotilla cannot read. */
export function parseEventRows(rows: readonly EventRow[]): TaskEvent[] {
  return rows.flatMap((row) => {
    const body = TaskEventBodySchema.safeParse(JSON.parse(row.payload));
    return body.success ? [{ seq: row.seq, taskId: row.task_id, at: row.at, body: body.data }] : [];
  });
}
