import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database.js';
import { TASK_FIELD_EVENT_KINDS } from '../../../shared/model/taskFold.js';

/**
 * Retention of what Flotilla records (issue 12): the journal history and terminal recordings of
 * finished tasks are kept `retentionDays` after the task finished, and all of it together within
 * `maxBytes`; past that, finished tasks' history goes, oldest first. An open task's history is
 * never pruned (it is what its transcript, its resume and its review read).
 *
 * What a pruned task keeps: its row and the journal events that fold to it (task_created,
 * status_changed, task_updated…), so the board and `task list` still show it as it ended; its
 * messages, commands, output and recordings go.
 */

/** Statuses no task leaves: its history is no longer read by a resume or a review. */
const FINISHED = ['merged', 'discarded'] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The kinds a pruned task keeps: those its fold reads (shared/model/taskFold.ts). */
const KEPT_KINDS_SQL = TASK_FIELD_EVENT_KINDS.map(() => '?').join(', ');

export interface HistoryUsage {
  /** Bytes of terminal recordings (FLOTILLA_HOME/recordings). */
  recordingsBytes: number;
  /** Bytes of the database: flotilla.db with its -wal and -shm. */
  databaseBytes: number;
}

export interface PruneResult {
  /** Tasks whose history was pruned now. */
  prunedTasks: string[];
  /** Journal rows deleted. */
  deletedEvents: number;
  /** Recording files deleted (a pruned task's, and old ones no journal row names). */
  deletedRecordings: number;
}

export interface RetentionOptions {
  db: Db;
  home: string;
  /** Milliseconds since the epoch. */
  now: number;
  retentionDays: number;
  maxBytes: number;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function recordingsDir(home: string): string {
  return path.join(home, 'recordings');
}

/** The recording files in FLOTILLA_HOME/recordings (only plain files; nothing is followed). */
function recordingFiles(home: string): string[] {
  try {
    return fs
      .readdirSync(recordingsDir(home), { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(recordingsDir(home), entry.name));
  } catch {
    return [];
  }
}

/** The space recordings and the database take, for Settings. */
export function historyUsage(home: string): HistoryUsage {
  return {
    recordingsBytes: recordingFiles(home).reduce((sum, file) => sum + sizeOf(file), 0),
    databaseBytes: ['flotilla.db', 'flotilla.db-wal', 'flotilla.db-shm'].reduce((sum, name) => sum + sizeOf(path.join(home, name)), 0),
  };
}

interface FinishedTask {
  id: string;
  finishedAt: number;
}

function finishedTasks(db: Db): FinishedTask[] {
  const placeholders = FINISHED.map(() => '?').join(', ');
  // Finished when it last changed status (a later updatedAt, e.g. its archive pruned, does not count).
  return db
    .prepare(
      `SELECT t.id AS id, COALESCE(
         (SELECT MAX(j.at) FROM journal j WHERE j.task_id = t.id AND j.kind IN ('status_changed', 'merged')), t.updated_at) AS finishedAt
       FROM tasks t WHERE t.status IN (${placeholders}) ORDER BY finishedAt, t.id`,
    )
    .all(...FINISHED) as FinishedTask[];
}

/** The recording files a task's journal names (basenames inside recordings/: a row never points elsewhere). */
function recordingsOf(db: Db, home: string, taskId: string): string[] {
  const rows = db.prepare("SELECT payload FROM journal WHERE task_id = ? AND kind = 'terminal_recorded'").all(taskId) as { payload: string }[];
  return rows.flatMap((row) => {
    const recording = (JSON.parse(row.payload) as { recording?: unknown }).recording;
    return typeof recording === 'string' ? [path.join(recordingsDir(home), path.basename(recording))] : [];
  });
}

function historyBytesOf(db: Db, home: string, taskId: string): number {
  const row = db.prepare(`SELECT COALESCE(SUM(LENGTH(payload)), 0) AS bytes FROM journal WHERE task_id = ? AND kind NOT IN (${KEPT_KINDS_SQL})`).get(taskId, ...TASK_FIELD_EVENT_KINDS) as { bytes: number };
  return row.bytes + recordingsOf(db, home, taskId).reduce((sum, file) => sum + sizeOf(file), 0);
}

function pruneTask(db: Db, home: string, taskId: string): { events: number; recordings: number } {
  let recordings = 0;
  for (const file of recordingsOf(db, home, taskId)) {
    try {
      fs.unlinkSync(file);
      recordings++;
    } catch {
      // Already gone.
    }
  }
  const deleted = db.prepare(`DELETE FROM journal WHERE task_id = ? AND kind NOT IN (${KEPT_KINDS_SQL})`).run(taskId, ...TASK_FIELD_EVENT_KINDS);
  return { events: deleted.changes, recordings };
}

/**
 * Prunes what the settings no longer keep. Runs at start and once a day; cheap when there is
 * nothing to do (one query per finished task).
 */
export function pruneHistory(opts: RetentionOptions): PruneResult {
  const { db, home, now } = opts;
  const cutoff = now - opts.retentionDays * DAY_MS;
  const result: PruneResult = { prunedTasks: [], deletedEvents: 0, deletedRecordings: 0 };
  const prune = (taskId: string) => {
    const { events, recordings } = pruneTask(db, home, taskId);
    if (events > 0 || recordings > 0) result.prunedTasks.push(taskId);
    result.deletedEvents += events;
    result.deletedRecordings += recordings;
  };

  const finished = finishedTasks(db);
  for (const task of finished) if (task.finishedAt < cutoff) prune(task.id);

  // Recordings no journal row names (a host that died between opening a terminal and journalling
  // it): by their age alone. A recording being written is younger than any cutoff.
  const named = new Set(
    (db.prepare("SELECT payload FROM journal WHERE kind = 'terminal_recorded'").all() as { payload: string }[]).flatMap((row) => {
      const recording = (JSON.parse(row.payload) as { recording?: unknown }).recording;
      return typeof recording === 'string' ? [path.basename(recording)] : [];
    }),
  );
  for (const file of recordingFiles(home)) {
    if (named.has(path.basename(file))) continue;
    try {
      if (fs.statSync(file).mtimeMs < cutoff) {
        fs.unlinkSync(file);
        result.deletedRecordings++;
      }
    } catch {
      // Gone meanwhile.
    }
  }

  // Over the size limit: finished tasks' history, oldest first, until under it.
  const journalBytes = (db.prepare('SELECT COALESCE(SUM(LENGTH(payload)), 0) AS bytes FROM journal').get() as { bytes: number }).bytes;
  let total = journalBytes + historyUsage(home).recordingsBytes;
  for (const task of finished) {
    if (total <= opts.maxBytes) break;
    const bytes = historyBytesOf(db, home, task.id);
    if (bytes === 0) continue;
    prune(task.id);
    total -= bytes;
  }
  return result;
}

/**
 * Applies retention at start and then once a day (24 h: history ages by days; a run costs
 * milliseconds). Returns the disposer. A failure is logged and tried again the next day: the
 * host never stops for it.
 */
export function scheduleHistoryRetention(opts: {
  db: Db;
  home: string;
  clock: () => number;
  limits: () => { retentionDays: number; maxBytes: number };
}): { dispose(): void } {
  const run = () => {
    try {
      const result = pruneHistory({ db: opts.db, home: opts.home, now: opts.clock(), ...opts.limits() });
      if (result.prunedTasks.length > 0 || result.deletedRecordings > 0) {
        console.error(`flotilla: retention pruned the history of ${result.prunedTasks.length} finished tasks (${result.deletedEvents} events, ${result.deletedRecordings} recordings)`);
      }
    } catch (error) {
      console.error('flotilla: history retention failed:', error);
    }
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return { dispose: () => clearInterval(timer) };
}
