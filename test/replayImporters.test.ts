import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../electron/core/store/database.js';
import { redactSecrets } from '../electron/core/redaction/redactSecrets.js';
import { importReplay, type ImportResult } from '../electron/core/replay/replayImport.js';
import { ReplayStore } from '../electron/core/replay/replayStore.js';
import { blobOfRef } from '../electron/core/replay/replayFormat.js';
import { importedTask } from '../electron/core/replay/importers/importer.js';
import type { TaskEvent } from '../shared/model/taskEvents.js';

/**
 * Each importer on a sample written from its format's public description
 * (test/fixtures/replay): what a user would see replayed (messages, commands with output and
 * exit codes, patches, token counts, the terminal's bytes), unknown record types skipped and
 * counted, and secrets in the samples redacted before they reach the database.
 */

const SAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'replay');

let home: string;
let db: Db;
let store: ReplayStore;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-replay-'));
  db = openDatabase(home);
  store = new ReplayStore(db);
});

afterEach(() => {
  db.close();
  fs.rmSync(home, { recursive: true, force: true });
});

function importFile(file: string): Promise<ImportResult> {
  return importReplay({ store, stagingDir: path.join(home, 'imports'), redact: (text) => redactSecrets(text), clock: () => 1_000 }, file);
}

function eventsOf(id: string): TaskEvent[] {
  const events: TaskEvent[] = [];
  for (let afterSeq = 0; ; ) {
    const page = store.eventsPage(id, afterSeq);
    events.push(...page.events);
    if (page.lastSeq === null) return events;
    afterSeq = page.lastSeq;
  }
}

/** Every byte of flotilla.db and its WAL, as text: where a secret must not be. */
function databaseBytes(): string {
  db.pragma('wal_checkpoint(PASSIVE)');
  return ['flotilla.db', 'flotilla.db-wal'].map((name) => path.join(home, name)).filter((file) => fs.existsSync(file)).map((file) => fs.readFileSync(file).toString('latin1')).join('');
}

describe('Codex CLI rollout', () => {
  it('imports messages, commands with output and exit codes, the patch and token counts; skips the unknown', async () => {
    const result = await importFile(path.join(SAMPLES, 'codex-rollout.jsonl'));
    expect(result).toMatchObject({ ok: true, format: 'codex', skipped: 2, skippedKinds: { 'event_msg.hologram_projection': 1, telepathy_frame: 1 } });
    if (!result.ok) return;
    const events = eventsOf(result.id);
    const kinds = events.map((event) => event.body.kind);
    expect(kinds).toEqual([
      'task_created',
      'user_message',
      'command_started',
      'command_output',
      'command_finished',
      'task_updated',
      'command_started',
      'command_output',
      'command_output',
      'command_finished',
      'command_started',
      'command_output',
      'command_finished',
      'agent_message',
      'task_updated',
      'status_changed',
    ]);
    const created = events[0]?.body;
    expect(created?.kind === 'task_created' && created.task).toMatchObject({
      id: 'codex-5e55-0001',
      title: expect.stringContaining('Fix the failing price test'),
      model: 'gpt-5-codex',
      repoPath: '/home/dev/shop',
      branch: 'main',
    });
    const bodies = events.map((event) => event.body);
    // Token counts as the task's usage growing, when Codex counted them.
    expect(bodies.filter((body) => body.kind === 'task_updated')).toEqual([
      { kind: 'task_updated', patch: { usage: { inputTokens: 5120, outputTokens: 240 } } },
      { kind: 'task_updated', patch: { usage: { inputTokens: 9800, outputTokens: 410 } } },
    ]);
    expect(bodies).toContainEqual({ kind: 'command_started', callId: 'call_test1', command: 'npm test -- price' });
    expect(bodies).toContainEqual({ kind: 'command_finished', callId: 'call_test1', exitCode: 1, durationMs: 2400, isKilled: false });
    expect(bodies).toContainEqual({ kind: 'command_started', callId: 'call_patch1', command: 'apply_patch' });
    expect(bodies).toContainEqual(expect.objectContaining({ kind: 'command_output', callId: 'call_patch1', chunk: expect.stringContaining('+  return (cents / 100).toFixed(2);') }));
    expect(bodies).toContainEqual({ kind: 'command_output', callId: 'call_test2', chunk: 'PASS price.test.js\n' });
    expect(bodies).toContainEqual({ kind: 'command_finished', callId: 'call_test2', exitCode: 0, durationMs: 1100, isKilled: false });
    // The environment context is Codex's, not the user's words; the token is redacted.
    const user = bodies.find((body) => body.kind === 'user_message');
    expect(user).toEqual({ kind: 'user_message', text: expect.stringMatching(/^Fix the failing price test\. My token is ghp_\*+/) });
    expect(databaseBytes()).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(store.list()).toEqual([expect.objectContaining({ id: result.id, source: 'codex', tasks: 1, events: events.length })]);
  });

  it('reads an output given as content items (a tool that returned text and an image)', async () => {
    const file = path.join(home, 'rollout-items.jsonl');
    const ts = '2026-11-30T09:00:00.000Z';
    const records = [
      { timestamp: ts, type: 'session_meta', payload: { id: 'items', cwd: '/r' } },
      { timestamp: ts, type: 'response_item', payload: { type: 'function_call', name: 'view_image', arguments: '{"path":"a.png"}', call_id: 'v1' } },
      { timestamp: ts, type: 'response_item', payload: { type: 'function_call_output', call_id: 'v1', output: [{ type: 'input_text', text: 'a.png: 10x10' }, { type: 'input_image', image_url: 'data:…' }] } },
    ];
    fs.writeFileSync(file, records.map((record) => JSON.stringify(record)).join('\n'));
    const result = await importFile(file);
    if (!result.ok) throw new Error(result.message);
    expect(eventsOf(result.id).map((event) => event.body)).toContainEqual({ kind: 'command_output', callId: 'v1', chunk: 'a.png: 10x10' });
  });
});

describe('Claude Code transcript', () => {
  it('imports user and assistant messages and Bash with its result; other tools as commands; usage counted once per message', async () => {
    const result = await importFile(path.join(SAMPLES, 'claude-transcript.jsonl'));
    expect(result).toMatchObject({ ok: true, format: 'claude', skipped: 1, skippedKinds: { 'crystal-ball': 1 } });
    if (!result.ok) return;
    const bodies = eventsOf(result.id).map((event) => event.body);
    const created = bodies[0];
    expect(created?.kind === 'task_created' && created.task).toMatchObject({
      title: 'Add a health check endpoint',
      model: 'claude-sonnet-4-5',
      branch: 'main',
    });
    // msg_01 appears on two lines: its usage counts once.
    expect(bodies.filter((body) => body.kind === 'task_updated').at(-1)).toEqual({ kind: 'task_updated', patch: { usage: { inputTokens: 1500 + 3000 + 3400, outputTokens: 50 + 80 + 20 } } });
    expect(bodies).toContainEqual({ kind: 'command_started', callId: 'toolu_01', command: 'grep -rn "router.get" src' });
    expect(bodies).toContainEqual({ kind: 'command_output', callId: 'toolu_01', chunk: "src/routes.js:4:router.get('/users', listUsers);\n" });
    expect(bodies).toContainEqual(expect.objectContaining({ kind: 'command_finished', callId: 'toolu_01', exitCode: 0, durationMs: 1000 }));
    expect(bodies).toContainEqual(expect.objectContaining({ kind: 'command_started', callId: 'toolu_02', command: expect.stringMatching(/^Edit \{"file_path"/) }));
    expect(bodies).toContainEqual({ kind: 'agent_message', text: 'Added GET /health returning ok.' });
    expect(bodies.at(-1)).toMatchObject({ kind: 'status_changed', to: 'review' });
    expect(databaseBytes()).not.toContain('hunter2secret');
  });
});

describe('asciicast v2', () => {
  it('stores the recording as one blob the task refers to, redacted line by line, unknown codes skipped', async () => {
    const result = await importFile(path.join(SAMPLES, 'terminal.cast'));
    expect(result).toMatchObject({ ok: true, format: 'asciicast', skipped: 1 });
    if (!result.ok) return;
    const bodies = eventsOf(result.id).map((event) => event.body);
    expect(bodies.map((body) => body.kind)).toEqual(['task_created', 'terminal_recorded', 'status_changed']);
    const recorded = bodies[1];
    const sha = recorded?.kind === 'terminal_recorded' ? blobOfRef(recorded.recording) : null;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    const text = Buffer.concat([...store.blobParts(sha ?? '')]).toString('utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    // Untouched lines keep their bytes; the access key is masked in input and output alike.
    expect(lines[1]).toBe('[0.25, "o", "$ "]');
    expect(lines[4]).toBe('[2.0, "r", "120x40"]');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(databaseBytes()).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(bodies[0]?.kind === 'task_created' && bodies[0].task.title).toBe('Deploy dry run');
  });

  it('stores a recording imported twice once; one without a start time starts when the file was written', async () => {
    const first = await importFile(path.join(SAMPLES, 'terminal.cast'));
    const copy = path.join(home, 'untimed.cast');
    const lines = fs.readFileSync(path.join(SAMPLES, 'terminal.cast'), 'utf8').split('\n');
    fs.writeFileSync(copy, [JSON.stringify({ version: 2, width: 80, height: 24 }), ...lines.slice(1)].join('\n'));
    const written = new Date('2026-12-01T10:00:10Z');
    fs.utimesSync(copy, written, written);
    const second = await importFile(copy);
    const again = await importFile(path.join(SAMPLES, 'terminal.cast'));
    if (!first.ok || !second.ok || !again.ok) throw new Error('an import failed');
    const partsOf = (id: string) => db.prepare("SELECT COUNT(*) AS n FROM replay_blobs b JOIN replay_events e ON e.replay_id = ? AND e.kind = 'terminal_recorded' AND b.sha256 = substr(json_extract(e.payload, '$.recording'), 13)").get(id);
    expect(partsOf(again.id)).toEqual(partsOf(first.id));
    expect(db.prepare('SELECT COUNT(DISTINCT sha256) AS n FROM replay_blobs').get()).toEqual({ n: 2 });
    // The last event is 3.2 s in: the recording started 3.2 s before the file's mtime.
    expect(eventsOf(second.id)[0]?.at).toBe(written.getTime() - 3_200);
  });
});

describe("Flotilla's own export", () => {
  const created = { kind: 'task_created', task: importedTask({ id: 't1', title: 'Fix it', prompt: 'fix it', cwd: '/r', model: 'm', at: 5 }) };
  const cast = '{"version":2,"width":80,"height":24}\n[0.5,"o","hi\\r\\n"]\n';
  const sha = crypto.createHash('sha256').update(cast).digest('hex');
  function exportFile(name: string, lines: unknown[]): string {
    const file = path.join(home, name);
    fs.writeFileSync(file, zlib.gzipSync(lines.map((line) => JSON.stringify(line)).join('\n') + '\n'));
    return file;
  }
  const header = (extra: object = {}) => ({ format: 'flotilla-replay', version: 1, createdAt: 9, flotillaVersion: '0.1.0', selection: { taskId: 't1' }, title: 'Fix it', events: 3, blobs: [{ sha256: sha, size: cast.length, parts: 1, mediaType: 'application/x-asciicast' }], ...extra });
  const events = [
    { type: 'event', seq: 4, taskId: 't1', at: 5, body: created },
    { type: 'event', seq: 6, taskId: 't1', at: 6, body: { kind: 'hologram_shown', depth: 3 } },
    { type: 'event', seq: 9, taskId: 't1', at: 7, body: { kind: 'terminal_recorded', sessionId: 's', terminal: 'agent', recording: `blob:sha256:${sha}` } },
  ];

  it('skips and counts event kinds and line types it does not know, keeps seqs and the recording', async () => {
    const file = exportFile('newer.gz', [header(), ...events, { type: 'bookmark', at: 6 }, { type: 'blob_part', sha256: sha, part: 0, data: cast }, { type: 'end', events: 3, blobParts: 1 }]);
    const result = await importFile(file);
    expect(result).toMatchObject({ ok: true, format: 'flotilla', imported: 2, skipped: 2, skippedKinds: { 'event hologram_shown': 1, 'line type bookmark': 1 } });
    if (!result.ok) return;
    expect(eventsOf(result.id).map((event) => [event.seq, event.body.kind])).toEqual([[4, 'task_created'], [9, 'terminal_recorded']]);
    expect(Buffer.concat([...store.blobParts(sha)]).toString('utf8')).toBe(cast);
  });

  it('refuses a newer version, a recording that does not match its hash and a missing end, writing nothing', async () => {
    const newer = exportFile('v2.gz', [header({ version: 2 }), ...events]);
    expect(await importFile(newer)).toMatchObject({ ok: false, message: 'cannot import v2.gz: the file was written by a newer Flotilla (format version 2; this one reads 1)' });
    const tampered = exportFile('tampered.gz', [header(), ...events, { type: 'blob_part', sha256: sha, part: 0, data: cast.replace('hi', 'ho') }, { type: 'end', events: 3, blobParts: 1 }]);
    expect(await importFile(tampered)).toMatchObject({ ok: false, message: `cannot import tampered.gz: recording ${sha.slice(0, 12)} does not match its sha256: the file is corrupt` });
    const cut = exportFile('cut.gz', [header(), ...events]);
    expect(await importFile(cut)).toMatchObject({ ok: false, message: 'cannot import cut.gz: the file is cut short: no end record after 3 events (truncated?)' });
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM replays) + (SELECT COUNT(*) FROM replay_events) + (SELECT COUNT(*) FROM replay_blobs) AS n').get()).toEqual({ n: 0 });
  });
});

describe('what is not a recording', () => {
  it('refuses an empty file, another format and blank lines with one line each, and writes nothing', async () => {
    const empty = path.join(home, 'empty.jsonl');
    fs.writeFileSync(empty, '');
    const other = path.join(home, 'notes.json');
    fs.writeFileSync(other, '{"name": "a package.json, not a session"}\n');
    const text = path.join(home, 'readme.txt');
    fs.writeFileSync(text, 'hello\nworld\n');
    const blank = path.join(home, 'blank.jsonl');
    fs.writeFileSync(blank, '\n\n\n');
    expect(await importFile(empty)).toMatchObject({ ok: false, message: 'empty.jsonl is empty' });
    expect(await importFile(other)).toMatchObject({ ok: false, message: expect.stringMatching(/^cannot import notes\.json: its first record is of no format Flotilla imports/) });
    expect(await importFile(text)).toMatchObject({ ok: false, message: expect.stringMatching(/its first line is not JSON/) });
    expect(await importFile(blank)).toMatchObject({ ok: false, message: 'blank.jsonl has no records (only blank lines)' });
    expect(await importFile(path.join(home, 'missing.cast'))).toMatchObject({ ok: false, kind: 'not_found' });
    expect(await importFile('terminal.cast')).toMatchObject({ ok: false, message: 'the path must be absolute, not terminal.cast' });
    expect(await importFile(home)).toMatchObject({ ok: false, message: `${home} is not a file` });
    expect(store.list()).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM replay_events').get()).toEqual({ n: 0 });
    expect(fs.readdirSync(path.join(home, 'imports'))).toEqual([]);
  });

  it('imports a Codex log with a torn last line and corrupt lines in part, saying what it skipped', async () => {
    const sample = fs.readFileSync(path.join(SAMPLES, 'codex-rollout.jsonl'), 'utf8').split('\n').filter((line) => line !== '');
    const torn = path.join(home, 'rollout-torn.jsonl');
    fs.writeFileSync(torn, [...sample.slice(0, 8), '{"timestamp": "2026-11-30T09:00:06Z", "type": "resp', ...sample.slice(8, 12), sample[12]?.slice(0, 40)].join('\n'));
    const result = await importFile(torn);
    expect(result).toMatchObject({ ok: true, skippedKinds: { 'unreadable line': 1, 'torn last line': 1 } });
  });
});
