import type { Db } from '../store/database.js';
import type { ReplaySummary } from '../../../shared/contracts/replay.js';
import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import { EVENT_PAGE_ROWS, parseEventRows } from './replayStore.js';

/**
 * The live journal's history as sessions to replay: runs of events with no idle gap of
 * `SESSION_IDLE_GAP_MS` or more between two consecutive events (of any task). A session's id is
 * `local-<seq of its first event>`: it never changes as the session grows or later ones start
 * (the journal is append-only), only if retention deletes the session's first events.
 */

/** 1 hour: a lunch break or a meeting ends a session; a long agent turn (minutes) does not. */
export const SESSION_IDLE_GAP_MS = 60 * 60 * 1000;
const LOCAL_PREFIX = 'local-';

export interface LocalSession {
  id: string;
  firstSeq: number;
  lastSeq: number;
  startedAt: number;
  endedAt: number;
  events: number;
  taskIds: Set<string>;
}

export function localSessions(db: Db, gapMs = SESSION_IDLE_GAP_MS): LocalSession[] {
  const sessions: LocalSession[] = [];
  let current: LocalSession | null = null;
  let afterSeq = 0;
  // Paged (seq, at, task_id) only: a long journal is read in bounded memory, payloads never.
  const page = db.prepare('SELECT seq, task_id, at FROM journal WHERE seq > ? ORDER BY seq LIMIT 10000');
  for (;;) {
    const rows = page.all(afterSeq) as { seq: number; task_id: string; at: number }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      if (!current || row.at - current.endedAt >= gapMs) {
        current = { id: `${LOCAL_PREFIX}${row.seq}`, firstSeq: row.seq, lastSeq: row.seq, startedAt: row.at, endedAt: row.at, events: 0, taskIds: new Set() };
        sessions.push(current);
      }
      current.lastSeq = row.seq;
      current.endedAt = Math.max(current.endedAt, row.at);
      current.events += 1;
      current.taskIds.add(row.task_id);
    }
    afterSeq = rows.at(-1)?.seq ?? afterSeq;
  }
  return sessions;
}

export function isLocalSessionId(id: string): boolean {
  return id.startsWith(LOCAL_PREFIX);
}

/** The session's summary, titled by the tasks it created (or touched). */
export function localSessionSummary(db: Db, session: LocalSession): ReplaySummary {
  const titles = db
    .prepare("SELECT json_extract(payload, '$.task.title') AS title FROM journal WHERE kind = 'task_created' AND seq BETWEEN ? AND ? ORDER BY seq LIMIT 4")
    .all(session.firstSeq, session.lastSeq) as { title: string | null }[];
  const named = titles.map((row) => row.title).filter((title): title is string => typeof title === 'string');
  const more = session.taskIds.size > named.slice(0, 3).length ? ` and ${session.taskIds.size - named.slice(0, 3).length} more` : '';
  const title = named.length > 0 ? `${named.slice(0, 3).join(', ')}${more}` : `${session.taskIds.size} task(s)`;
  return {
    id: session.id,
    source: 'local',
    title,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    tasks: session.taskIds.size,
    events: session.events,
    importedAt: null,
  };
}

/** One page of the session's events after `afterSeq` (0 for the first). */
export function localEventsPage(db: Db, session: LocalSession, afterSeq: number): { events: TaskEvent[]; lastSeq: number | null; rows: number } {
  const rows = db
    .prepare('SELECT seq, task_id, at, payload FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?')
    .all(Math.max(afterSeq, session.firstSeq - 1), session.lastSeq, EVENT_PAGE_ROWS) as { seq: number; task_id: string; at: number; payload: string }[];
  return { events: parseEventRows(rows), lastSeq: rows.at(-1)?.seq ?? null, rows: rows.length };
}
