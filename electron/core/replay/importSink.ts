import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { TaskEventBody } from '../../../shared/model/taskEvents.js';
import { betterSqlite3Binding } from '../util/nativeModules.js';
import { BLOB_PART_BYTES } from './replayFormat.js';
import { redactStrings } from '../redaction/redactSecrets.js';
import type { Redact } from './redactCastLine.js';

/**
 * Where an import writes while it reads: a staging database of its own (a file beside
 * flotilla.db), filled in small transactions as the file streams in. The host's database sees
 * nothing until the import is whole; then one transaction copies it all in (`ReplayStore.adopt`),
 * and the staging file is deleted. A failure anywhere deletes the staging file: nothing
 * half-written ever reaches flotilla.db, and the host's own writes are never held up by a long
 * transaction across the file's reads.
 */

export const STAGING_SCHEMA = `
CREATE TABLE replay_events (seq INTEGER PRIMARY KEY, task_id TEXT NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL);
CREATE TABLE replay_blobs (sha256 TEXT NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (sha256, part));
`;

/** 2000 rows: a batch commits in a few ms, so the host's event loop is never held long. */
const ROWS_PER_BATCH = 2000;

export interface BlobWriter {
  /** Appends text (UTF-8) to the recording. */
  write(text: string): void;
  /** The recording's sha256 and size in bytes; its parts are stored under that hash. */
  close(): { sha256: string; size: number };
}

export class ImportSink {
  readonly skipped: Record<string, number> = {};
  private readonly db: Database.Database;
  private readonly insertEvent;
  private readonly insertPart;
  private nextSeq = 1;
  private rowsInBatch = 0;
  private blobCount = 0;
  private eventCount = 0;

  constructor(readonly file: string, private readonly redact: Redact) {
    this.db = new Database(file, { nativeBinding: betterSqlite3Binding() });
    // A scratch file: no WAL, no fsync; it is deleted whatever happens.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(STAGING_SCHEMA);
    this.insertEvent = this.db.prepare('INSERT OR IGNORE INTO replay_events (seq, task_id, at, kind, payload) VALUES (?, ?, ?, ?, ?)');
    this.insertPart = this.db.prepare('INSERT OR REPLACE INTO replay_blobs (sha256, part, data) VALUES (?, ?, ?)');
    this.db.exec('BEGIN');
  }

  get events(): number {
    return this.eventCount;
  }

  /** Appends an event with every string redacted; `seq` keeps the source's own order when it has one. Returns the seq. */
  event(taskId: string, at: number, body: TaskEventBody, seq?: number): number {
    const eventSeq = seq ?? this.nextSeq;
    const clean = redactStrings(body, this.redact);
    const info = this.insertEvent.run(eventSeq, this.redact(taskId), Math.round(at), clean.kind, JSON.stringify(clean));
    if (info.changes === 0) {
      this.skip('duplicate seq');
      return eventSeq;
    }
    this.eventCount += 1;
    this.nextSeq = Math.max(this.nextSeq, eventSeq + 1);
    this.counted();
    return eventSeq;
  }

  /** Replaces an event written earlier, e.g. a task_created once the session's model and usage are known. */
  replaceEvent(seq: number, body: TaskEventBody): void {
    const clean = redactStrings(body, this.redact);
    this.db.prepare('UPDATE replay_events SET kind = ?, payload = ? WHERE seq = ?').run(clean.kind, JSON.stringify(clean), seq);
  }

  /** Rewrites a recording reference in every event (a recording redacted here has a new hash). */
  renameBlobRef(from: string, to: string): void {
    this.db.prepare("UPDATE replay_events SET payload = replace(payload, ?, ?) WHERE kind = 'terminal_recorded'").run(from, to);
  }

  /** A record read but not imported, counted by what it was. */
  skip(type: string): void {
    this.skipped[type] = (this.skipped[type] ?? 0) + 1;
  }

  openBlob(): BlobWriter {
    const tempKey = `pending-${(this.blobCount += 1)}`;
    const hash = crypto.createHash('sha256');
    let part = 0;
    let size = 0;
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    const flush = () => {
      if (bufferedBytes === 0) return;
      this.insertPart.run(tempKey, part, Buffer.concat(buffered));
      part += 1;
      buffered = [];
      bufferedBytes = 0;
      this.counted();
    };
    return {
      write: (text) => {
        const bytes = Buffer.from(text, 'utf8');
        hash.update(bytes);
        size += bytes.length;
        buffered.push(bytes);
        bufferedBytes += bytes.length;
        if (bufferedBytes >= BLOB_PART_BYTES) flush();
      },
      close: () => {
        flush();
        const sha256 = hash.digest('hex');
        this.db.prepare('DELETE FROM replay_blobs WHERE sha256 = ?').run(sha256);
        this.db.prepare('UPDATE replay_blobs SET sha256 = ? WHERE sha256 = ?').run(sha256, tempKey);
        return { sha256, size };
      },
    };
  }

  /** Commits the last batch and closes the file, ready for `ReplayStore.adopt`. */
  finish(): void {
    this.db.exec('COMMIT');
    this.db.close();
  }

  /** Closes and deletes the staging file (after `finish` and adoption, or after a failure). */
  discard(): void {
    if (this.db.open) this.db.close();
    for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(`${this.file}${suffix}`, { force: true });
  }

  private counted(): void {
    this.rowsInBatch += 1;
    if (this.rowsInBatch < ROWS_PER_BATCH) return;
    this.db.exec('COMMIT');
    this.db.exec('BEGIN');
    this.rowsInBatch = 0;
  }
}
