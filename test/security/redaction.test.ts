import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlotilla, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../fixtures/tempRepo.js';
import { connectWs, type WsClient } from '../fixtures/terminalClient.js';

/**
 * Issue 12: secrets are redacted at record time. Each kind is planted in a prompt, in a command
 * line the agent runs, in that command's output, in the agent's message and in a shell
 * terminal's typed input; then every file under FLOTILLA_HOME is read byte by byte while the
 * host still runs (flotilla.db, -wal and -shm opened raw, nothing checkpointed first) and no
 * planted secret is in any of them; `task log` shows the redacted shapes.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function random(length: number, alphabet = ALNUM): string {
  const bytes = crypto.randomBytes(length);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
/** Random with a digit at the end (the context rules want one; real keys nearly always have one). */
const randomWithDigit = (length: number) => `${random(length - 1)}7`;

/** What a user would paste: the secret as it appears in text, and the part that must never reach the disk. */
interface Planted {
  kind: string;
  text: string;
  secret: string;
  /** What the transcript shows instead. */
  shape: string;
}

function plant(kind: string, before: string, secret: string, shape: string, after = ''): Planted {
  return { kind, text: `${before}${secret}${after}`, secret, shape };
}

const keyBody = [random(64), random(64), random(40)].join('\n');
const DEPLOY_PHRASE = `deploy ${random(20)}`;

const PLANTED: Planted[] = [
  plant('openai', 'sk-proj-', randomWithDigit(48), 'sk-proj-****'),
  plant('openai-legacy', 'sk-', randomWithDigit(48), 'sk-****'),
  plant('anthropic', 'sk-ant-api03-', `${randomWithDigit(93)}AA`, 'sk-ant-api03-****'),
  plant('github-pat', 'ghp_', random(36), 'ghp_****'),
  plant('github-oauth', 'gho_', random(36), 'gho_****'),
  plant('github-fine-grained', 'github_pat_', `${random(22)}_${random(59)}`, 'github_pat_****'),
  plant('aws-access-key-id', 'AKIA', random(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), 'AKIA****'),
  plant('aws-secret-access-key', 'aws_secret_access_key=', `${random(20)}/${randomWithDigit(19)}`, 'aws_secret_access_key=****'),
  plant('slack', 'xoxb-', `${random(12, '0123456789')}-${random(13, '0123456789')}-${random(24)}`, 'xoxb-****'),
  plant('jwt', 'eyJ', `hbGciOiJIUzI1NiJ9.eyJ${random(40)}.${random(43)}`, 'eyJ****'),
  plant('authorization', 'Authorization: Bearer ', random(40), 'Authorization: Bearer ****'),
  plant('password', 'DB_PASSWORD=', random(18), 'DB_PASSWORD=****'),
  plant('private-key', '-----BEGIN RSA PRIVATE KEY-----\n', keyBody, '-----BEGIN RSA PRIVATE KEY-----\n****\n-----END RSA PRIVATE KEY-----', '\n-----END RSA PRIVATE KEY-----'),
  // The user marked DEPLOY_PHRASE secret (`config set secretEnvVars`): its value, whatever its shape.
  plant('env-marked-secret', 'phrase: ', DEPLOY_PHRASE, 'phrase: ****'),
];
/** One line each (a shell terminal's typed line cannot hold the private key's line breaks). */
const ONE_LINE = PLANTED.filter((p) => !p.text.includes('\n'));

const q = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
/** The command line holds every secret; its output holds them again, decoded from base64 (so output-only copies too). */
const COMMAND = [
  `printf '%s\\n' ${PLANTED.map((p) => q(p.text)).join(' ')}`,
  `echo ${Buffer.from(PLANTED.map((p) => p.text).join('\n')).toString('base64').replace(/\n/g, '')} | base64 -d`,
  'echo; echo planted-all-done',
].join('; ');

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: TempRepo;
let taskId: string;
let client: WsClient;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'redaction',
        match: 'redaction-flow',
        steps: [
          { type: 'shell', command: COMMAND, text: `running it with ${PLANTED[3]?.text ?? ''}` },
          { type: 'message', text: `done; the keys were ${ONE_LINE.map((p) => p.text).join(' ')}` },
        ],
      },
    ],
  });
  repo = await makeTempRepo();
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test', DEPLOY_PHRASE } });
  const set = await flotilla.cli(['config', 'set', 'secretEnvVars', 'DEPLOY_PHRASE']);
  expect(set.code, set.stderr).toBe(0);
  const prompt = `redaction-flow: use these\n${PLANTED.map((p) => p.text).join('\n')}`;
  const task = await flotilla.cliJson<{ id: string; status: string }>(['task', 'new', '--repo', repo.path, '--prompt', prompt, '--wait']);
  taskId = task.id;
  expect(task.status).toBe('review');
}, 120_000);

afterAll(async () => {
  client?.close();
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

/** Every regular file under `dir`, recursively (symlinks are not followed). */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [full] : [];
  });
}

describe('secrets are redacted at record time', () => {
  it('a shell terminal: typed input (a key at a time and whole lines) and its echo are recorded redacted', async () => {
    const token = new URL(flotilla.url).searchParams.get('token') ?? '';
    client = await connectWs(flotilla.origin, token);
    const opened = await client.invoke<{ ok: boolean; sessionId: string; message?: string }>('terminal.open', { taskId, kind: 'sandboxed', cols: 120, rows: 30 });
    expect(opened.ok, opened.message).toBe(true);
    const { sessionId } = opened;
    expect((await client.invoke<{ ok: boolean }>('terminal.attach', { sessionId })).ok).toBe(true);
    client.ready(sessionId);
    // Typed one key at a time, as a person would: each key's echo is its own chunk.
    for (const key of `echo ${q(PLANTED[3]?.text ?? '')}\r`) client.type(sessionId, key);
    for (const p of ONE_LINE) client.type(sessionId, `echo ${q(p.text)}\r`);
    client.type(sessionId, 'echo typed-$((3+4))\r');
    await client.waitForOutput(sessionId, /typed-7/, 30_000);
    // The live terminal shows what the shell printed (the raw text: it is the user's own screen).
    expect(client.output(sessionId)).toContain(PLANTED[3]?.secret);
    expect((await client.invoke<{ ok: boolean }>('terminal.close', { sessionId })).ok).toBe(true);
    // The recording is written behind the stream: wait until its last line landed.
    const recordings = path.join(flotilla.home, 'recordings');
    const cast = path.join(recordings, `${sessionId}.cast`);
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      if (fs.existsSync(cast) && fs.readFileSync(cast, 'utf8').includes('typed-7')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const recorded = fs.readFileSync(cast, 'utf8');
    expect(recorded).toContain('typed-7');
    expect(recorded).toContain('ghp_****');
  });

  it('no planted secret is in any file under FLOTILLA_HOME: the database, its -wal and -shm, every recording', () => {
    const files = filesUnder(flotilla.home);
    const names = files.map((f) => path.relative(flotilla.home, f));
    // Controls: the scan reads the live database with its WAL, and the recordings.
    expect(names).toContain('flotilla.db');
    expect(names).toContain('flotilla.db-wal');
    expect(names.filter((n) => n.endsWith('.cast')).length).toBeGreaterThanOrEqual(2);
    const wal = fs.readFileSync(path.join(flotilla.home, 'flotilla.db-wal'));
    expect(wal.length).toBeGreaterThan(0);
    expect(wal.includes(Buffer.from('planted-all-done'))).toBe(true);

    const leaks: string[] = [];
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const p of PLANTED) {
        // Every line of the secret (the private key's body is three), as UTF-8 bytes.
        for (const part of p.secret.split('\n')) {
          const at = bytes.indexOf(Buffer.from(part));
          // The context says where it came from (which rule missed), without printing the secret.
          const context = at < 0 ? '' : JSON.stringify(bytes.subarray(Math.max(0, at - 40), at).toString('latin1'));
          if (at >= 0) leaks.push(`${p.kind} in ${path.relative(flotilla.home, file)} after ${context}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('the transcript (task log) shows each secret in its redacted shape, never raw', async () => {
    const log = await flotilla.cli(['task', 'log', taskId]);
    expect(log.code, log.stderr).toBe(0);
    for (const p of PLANTED) {
      for (const part of p.secret.split('\n')) expect(log.stdout, p.kind).not.toContain(part);
    }
    for (const p of ONE_LINE) expect(log.stdout, p.kind).toContain(p.shape);
    expect(log.stdout).toContain('-----BEGIN RSA PRIVATE KEY-----');
    expect(log.stdout).toContain('planted-all-done');
  });
});
