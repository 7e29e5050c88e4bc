import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Task } from '../../shared/model/task.js';
import type { TaskEvent } from '../../shared/model/taskEvents.js';
import { SPEAKER_COMMAND, startRealHost, type RealHost, type Speaker } from '../../test/fixtures/realHost.js';
import { startServer, type RunningServer } from './httpServer.js';

/**
 * Command output goes only to the connections watching its task; everything else to all. Real
 * tasks on the real host print it: each runs SPEAKER_COMMAND, told by the test what to print.
 */

type Frame = Record<string, unknown>;

/** A socket that records every text frame it receives, and can make calls on itself. */
interface Client {
  ws: WebSocket;
  frames: Frame[];
  call(method: string, input: unknown): Promise<Frame>;
  /** Resolves with the first recorded frame (past or future) that matches. */
  until(predicate: (frame: Frame) => boolean): Promise<Frame>;
}

let tmp: string;
let real: RealHost & { dispose(): Promise<void> };
let server: RunningServer;
const clients: Client[] = [];
/** Tasks started by the test that runs: ended after it, so none holds a running slot. */
const speakers: Speaker[] = [];
let markers = 0;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-wsbridge-'));
  fs.writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>Flotilla</title>');
  real = await startRealHost({ scenarios: [{ name: 'speaks', steps: [{ type: 'shell', command: SPEAKER_COMMAND }, { type: 'message', text: 'done' }] }] });
  server = await startServer({ host: real.host, rendererDir: tmp });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.ws.terminate();
  for (const speaker of speakers.splice(0)) speaker.end();
});

afterAll(async () => {
  await server.close();
  await real.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function connect(): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, { headers: { Authorization: `Bearer ${server.token}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const frames: Frame[] = [];
  const waiters: { predicate: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(frame)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(frame);
    }
  });
  let nextId = 1;
  const client: Client = {
    ws,
    frames,
    until(predicate) {
      const seen = frames.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    call(method, input) {
      const id = nextId++;
      const reply = client.until((f) => f.id === id);
      ws.send(JSON.stringify({ type: 'invoke', id, method, input }));
      return reply;
    },
  };
  clients.push(client);
  return client;
}

/**
 * A task of a new repo whose command has started (and now waits, silent, to be told what to
 * print), and the speaker of that command (ended after the test).
 */
async function speakingTask(): Promise<{ task: Task } & Speaker> {
  const repo = await real.addRepo();
  const task = await real.createTask({ repo: repo.id, prompt: 'speak' });
  const speaker = real.speaker(task);
  speakers.push(speaker);
  await real.waitForEvent(task.id, (event) => event.body.kind === 'command_started');
  return { task, ...speaker };
}

/**
 * Frames arrive in order: once a client has the marker event (a settings change, sent to
 * everyone after the output the host has already announced), it has every frame that was ever
 * going to reach it before the marker.
 */
async function settle(...targets: Client[]): Promise<void> {
  const scrollback = 20_000 + ++markers;
  const set = await real.host.handlers['settings.set']({ key: 'terminalScrollback', value: String(scrollback) });
  if (!set.ok) throw new Error(set.message);
  await Promise.all(targets.map((c) => c.until((f) => f.event === 'settings.onDidChange' && (f.payload as { settings: { terminalScrollback: number } }).settings.terminalScrollback === scrollback)));
}

function eventOf(frame: Frame): TaskEvent | undefined {
  if (frame.type !== 'event' || frame.event !== 'tasks.onDidAppendEvent') return undefined;
  return (frame.payload as { event: TaskEvent }).event;
}

/** The output a client got, as `NAME:chunk` with each task id replaced by its name. */
function outputsOf(client: Client, names: Record<string, string>): string[] {
  return client.frames.flatMap((f) => {
    const event = eventOf(f);
    return event?.body.kind === 'command_output' ? [`${names[event.taskId] ?? event.taskId}:${event.body.chunk}`] : [];
  });
}

describe('the WebSocket bridge scopes command output to watchers', () => {
  it('two clients, one watching task A: only it gets A’s output; both get the rest', async () => {
    const [a, b] = await Promise.all([speakingTask(), speakingTask()]);
    const names = { [a.task.id]: 'A', [b.task.id]: 'B' };
    const watcher = await connect();
    const board = await connect();
    expect(await watcher.call('tasks.watch', { taskIds: [a.task.id] })).toMatchObject({ type: 'result', output: { ok: true } });

    await a.say('PASS one\n');
    await b.say('B is chatty\n');
    await a.say('PASS two\n');
    a.end();
    await real.waitForStatus(a.task.id, 'review');
    await settle(watcher, board);

    expect(outputsOf(watcher, names)).toEqual(['A:PASS one\n', 'A:PASS two\n']);
    expect(outputsOf(board, names)).toEqual([]);
    // Everything else about A reaches both: the command's end, the agent's message, the move to review.
    const kindsOfA = (client: Client) => client.frames.flatMap((f) => (eventOf(f)?.taskId === a.task.id && eventOf(f)?.body.kind !== 'command_output' ? [eventOf(f)?.body] : []));
    expect(kindsOfA(watcher)).toEqual(kindsOfA(board));
    expect(kindsOfA(board)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'command_finished', exitCode: 0 }), expect.objectContaining({ kind: 'status_changed', to: 'review' })]));
    for (const client of [watcher, board]) {
      expect(client.frames.some((f) => f.event === 'tasks.onDidChange' && (f.payload as { task: Task }).task.status === 'review')).toBe(true);
    }
  });

  it('a watch replaces the previous set; an empty set stops all output', async () => {
    const [a, b] = await Promise.all([speakingTask(), speakingTask()]);
    const names = { [a.task.id]: 'A', [b.task.id]: 'B' };
    const client = await connect();
    await client.call('tasks.watch', { taskIds: [a.task.id, b.task.id] });
    await a.say('a1\n');
    await b.say('b1\n');
    await client.call('tasks.watch', { taskIds: [b.task.id] });
    await a.say('a2\n');
    await b.say('b2\n');
    await client.call('tasks.watch', { taskIds: [] });
    await a.say('a3\n');
    await b.say('b3\n');
    await settle(client);
    expect(outputsOf(client, names)).toEqual(['A:a1\n', 'B:b1\n', 'B:b2\n']);
  });

  it('a watch belongs to its connection: a second connection of the same user sees none of it', async () => {
    const a = await speakingTask();
    const first = await connect();
    await first.call('tasks.watch', { taskIds: [a.task.id] });
    first.ws.terminate();
    const second = await connect();
    await a.say('after\n');
    await settle(second);
    expect(outputsOf(second, {})).toEqual([]);
  });

  it('refuses a malformed watch, and refuses watching over plain HTTP (no connection to scope)', async () => {
    const client = await connect();
    expect(await client.call('tasks.watch', { taskIds: 'A' })).toMatchObject({ type: 'error', message: expect.stringMatching(/^invalid input: taskIds/) });
    const reply = await post('/api/invoke/tasks.watch', { taskIds: ['A'] });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, kind: 'invalid_state' });
  });
});

function post(pathname: string, body: unknown): Promise<{ status: number; body: string }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: pathname,
        agent: false,
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
