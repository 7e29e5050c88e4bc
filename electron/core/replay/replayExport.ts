import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import zlib from 'node:zlib';
import { failure, type Failure } from '../../../shared/contract.js';
import type { Db } from '../store/database.js';
import { errorMessage } from '../util/errorMessage.js';
import { eventLoopSlices } from './eventLoopSlices.js';
import { readLines } from './lineReader.js';
import { redactStrings } from '../redaction/redactSecrets.js';
import { redactCastLine, type Redact } from './redactCastLine.js';
import { EVENT_PAGE_ROWS } from './replayStore.js';
import { BLOB_PART_BYTES, MISSING_RECORDING, REPLAY_FORMAT, REPLAY_FORMAT_VERSION, blobRef, type BlobEntry, type HeaderLine } from './replayFormat.js';

/**
 * `replay.export`: one task's journal (or everything since a time) and the terminal recordings
 * it refers to, as one gzip'ed JSON-lines file (replayFormat.ts, FORMAT.md), every string
 * redacted on the way out. Written to a temporary name and linked to `out` at the end, so a
 * failed export never leaves a file that looks whole, and an existing file is never replaced.
 */

export type ExportSelection = { taskId: string } | { since: number };

export interface ExportDeps {
  db: Db;
  home: string;
  redact: Redact;
  clock: () => number;
  version: string;
}

export type ExportResult = { ok: true; path: string; events: number; blobs: number; bytes: number; skipped: Record<string, number> } | Failure;

/** A recording's text as exported: its complete lines now (a live one keeps growing), redacted. */
interface RecordingPlan {
  ref: string;
  file: string;
  lines: number;
  entry: BlobEntry;
}

export async function exportReplay(deps: ExportDeps, selection: ExportSelection, out: string): Promise<ExportResult> {
  if (!path.isAbsolute(out)) return failure('invalid_input', `the output path must be absolute, not ${out}`);
  if (!fs.existsSync(path.dirname(out))) return failure('invalid_input', `no folder ${path.dirname(out)} to write ${path.basename(out)} in`);
  if (fs.existsSync(out)) return failure('invalid_input', `${out} already exists; choose another name or remove it first`);
  const where = selectionSql(selection);
  const count = (deps.db.prepare(`SELECT COUNT(*) AS n FROM journal WHERE ${where.sql}`).get(...where.params) as { n: number }).n;
  if (count === 0) {
    return 'taskId' in selection ? failure('not_found', `no task with id "${selection.taskId}" in the journal`) : failure('not_found', `no events since ${new Date(selection.since).toISOString()}`);
  }
  const skipped: Record<string, number> = {};
  const recordings = await planRecordings(deps, where, skipped);
  const header: HeaderLine = {
    format: REPLAY_FORMAT,
    version: REPLAY_FORMAT_VERSION,
    createdAt: deps.clock(),
    flotillaVersion: deps.version,
    selection,
    title: deps.redact(titleOf(deps.db, selection)),
    events: count,
    blobs: recordings.map((plan) => plan.entry),
  };
  const partial = `${out}.partial-${crypto.randomUUID().slice(0, 8)}`;
  const gzip = zlib.createGzip();
  const file = fs.createWriteStream(partial, { mode: 0o600 });
  gzip.pipe(file);
  const write = async (record: unknown) => {
    if (!gzip.write(`${JSON.stringify(record)}\n`)) await once(gzip, 'drain');
  };
  try {
    await write(header);
    const refs = new Map(recordings.map((plan) => [plan.ref, blobRef(plan.entry.sha256)]));
    let events = 0;
    for (let afterSeq = 0; ; ) {
      const rows = deps.db
        .prepare(`SELECT seq, task_id, at, payload FROM journal WHERE ${where.sql} AND seq > ? ORDER BY seq LIMIT ?`)
        .all(...where.params, afterSeq, EVENT_PAGE_ROWS) as { seq: number; task_id: string; at: number; payload: string }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const body = redactStrings(JSON.parse(row.payload) as Record<string, unknown>, deps.redact);
        if (body.kind === 'terminal_recorded') body.recording = refs.get(String(body.recording)) ?? MISSING_RECORDING;
        await write({ type: 'event', seq: row.seq, taskId: deps.redact(row.task_id), at: row.at, body });
        events += 1;
      }
      afterSeq = rows.at(-1)?.seq ?? afterSeq;
    }
    let blobParts = 0;
    for (const plan of recordings) {
      for await (const part of recordingParts(plan, deps.redact)) {
        await write({ type: 'blob_part', sha256: plan.entry.sha256, part: part.index, data: part.text });
        blobParts += 1;
      }
    }
    await write({ type: 'end', events, blobParts });
    gzip.end();
    await once(file, 'close');
    // A link, not a rename: it never replaces a file that is there (a caller's typo must not
    // overwrite someone's work), and the whole file appears at once.
    fs.linkSync(partial, out);
    return { ok: true, path: out, events, blobs: recordings.length, bytes: fs.statSync(out).size, skipped };
  } catch (error) {
    gzip.destroy();
    file.destroy();
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return failure('invalid_input', `${out} already exists; choose another name or remove it first`);
    return failure('invalid_input', `cannot write ${out}: ${errorMessage(error)}`);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

function selectionSql(selection: ExportSelection): { sql: string; params: (string | number)[] } {
  if ('taskId' in selection) return { sql: 'task_id = ?', params: [selection.taskId] };
  // Every event since then, and the task_created of each task they belong to (its card needs it).
  return {
    sql: "(at >= ? OR (kind = 'task_created' AND task_id IN (SELECT task_id FROM journal WHERE at >= ?)))",
    params: [selection.since, selection.since],
  };
}

function titleOf(db: Db, selection: ExportSelection): string {
  if ('taskId' in selection) {
    const row = db.prepare("SELECT json_extract(payload, '$.task.title') AS title FROM journal WHERE task_id = ? AND kind = 'task_created' ORDER BY seq LIMIT 1").get(selection.taskId) as
      | { title: string | null }
      | undefined;
    return row?.title ?? `Task ${selection.taskId}`;
  }
  return `Flotilla since ${new Date(selection.since).toISOString()}`;
}

/** Each recording once, hashed as it will be written (first pass), so events can name it by hash before its bytes follow. */
async function planRecordings(deps: ExportDeps, where: { sql: string; params: (string | number)[] }, skipped: Record<string, number>): Promise<RecordingPlan[]> {
  const refs = deps.db
    .prepare(`SELECT DISTINCT json_extract(payload, '$.recording') AS ref FROM journal WHERE kind = 'terminal_recorded' AND ${where.sql}`)
    .all(...where.params) as { ref: string | null }[];
  const recordingsDir = path.join(deps.home, 'recordings');
  const plans: RecordingPlan[] = [];
  for (const { ref } of refs) {
    if (typeof ref !== 'string') continue;
    const file = path.resolve(deps.home, ref);
    // Only the host's own recordings folder: a journal row is never a licence to read elsewhere.
    if (path.dirname(file) !== recordingsDir || !fs.existsSync(file)) {
      skipped['missing recording'] = (skipped['missing recording'] ?? 0) + 1;
      continue;
    }
    const hash = crypto.createHash('sha256');
    let size = 0;
    let parts = 0;
    let lines = 0;
    for await (const part of recordingParts({ file, lines: Number.POSITIVE_INFINITY }, deps.redact)) {
      hash.update(part.text, 'utf8');
      size += Buffer.byteLength(part.text, 'utf8');
      parts += 1;
      lines += part.lines;
    }
    plans.push({ ref, file, lines, entry: { sha256: hash.digest('hex'), size, parts, mediaType: 'application/x-asciicast' } });
  }
  return plans;
}

/** A recording's first `lines` complete lines, redacted, in parts of about 1 MiB of whole lines. */
async function* recordingParts(plan: { file: string; lines: number }, redact: Redact): AsyncGenerator<{ index: number; text: string; lines: number }> {
  let index = 0;
  let buffered: string[] = [];
  let bufferedBytes = 0;
  let read = 0;
  const slices = eventLoopSlices();
  for await (const line of readLines(plan.file)) {
    const pause = slices.pause();
    if (pause) await pause;
    // A live recording's last line may be half written: it is not part of the export yet.
    if (read >= plan.lines || line.kind !== 'line' || !line.isTerminated) break;
    read += 1;
    const text = `${redactCastLine(line.text, redact)}\n`;
    buffered.push(text);
    bufferedBytes += Buffer.byteLength(text, 'utf8');
    if (bufferedBytes >= BLOB_PART_BYTES) {
      yield { index, text: buffered.join(''), lines: buffered.length };
      index += 1;
      buffered = [];
      bufferedBytes = 0;
    }
  }
  if (buffered.length > 0) yield { index, text: buffered.join(''), lines: buffered.length };
}
