import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { TaskEvent, TaskEventBody } from '../../shared/model/taskEvents.js';
import { startServer, type RunningServer } from './httpServer.js';
import { createFakeHost, type FakeHost } from './testing/fakeHost.js';

/** Command output goes only to the connections watching its task; everything else to all. */

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
let host: FakeHost;
let server: RunningServer;
const clients: Client[] = [];
let seq = 0;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-wsbridge-'));
  fs.writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>Flotilla</title>');
  host = createFakeHost();
  server = await startServer({ host, rendererDir: tmp });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.ws.terminate();
});

afterAll(async () => {
  await server.close();
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

function appendEvent(taskId: string, body: TaskEventBody): TaskEvent {
  const event: TaskEvent = { seq: ++seq, taskId, at: Date.now(), body };
  host.emit('tasks.onDidAppendEvent', { event });
  return event;
}

const output = (taskId: string, chunk: string) => appendEvent(taskId, { kind: 'command_output', callId: `${taskId}-c1`, chunk });

/**
 * Frames arrive in order: once a client has the marker event (sent to everyone after the
 * others), it has every frame that was ever going to reach it before the marker.
 */
async function settle(...targets: Client[]): Promise<void> {
  const marker = `marker-${++seq}`;
  host.emit('repos.onDidChange', { repos: [] });
  appendEvent(marker, { kind: 'note', text: marker });
  await Promise.all(targets.map((c) => c.until((f) => eventOf(f)?.taskId === marker)));
}

function eventOf(frame: Frame): TaskEvent | undefined {
  if (frame.type !== 'event' || frame.event !== 'tasks.onDidAppendEvent') return undefined;
  return (frame.payload as { event: TaskEvent }).event;
}

const outputsOf = (client: Client) => client.frames.flatMap((f) => {
  const event = eventOf(f);
  return event?.body.kind === 'command_output' ? [`${event.taskId}:${event.body.chunk}`] : [];
});

describe('the WebSocket bridge scopes command output to watchers', () => {
  it('two clients, one watching task A: only it gets A’s output; both get the rest', async () => {
    const watcher = await connect();
    const board = await connect();
    expect(await watcher.call('tasks.watch', { taskIds: ['A'] })).toMatchObject({ type: 'result', output: { ok: true } });

    appendEvent('A', { kind: 'command_started', callId: 'A-c1', command: 'npm test' });
    output('A', 'PASS one\n');
    output('B', 'B is chatty\n');
    output('A', 'PASS two\n');
    appendEvent('A', { kind: 'status_changed', from: 'running', to: 'review', reason: null });
    await settle(watcher, board);

    expect(outputsOf(watcher)).toEqual(['A:PASS one\n', 'A:PASS two\n']);
    expect(outputsOf(board)).toEqual([]);
    for (const client of [watcher, board]) {
      const kinds = client.frames.flatMap((f) => (eventOf(f)?.taskId === 'A' ? [eventOf(f)?.body.kind] : []));
      expect(kinds.filter((k) => k !== 'command_output')).toEqual(['command_started', 'status_changed']);
      expect(client.frames.some((f) => f.event === 'repos.onDidChange')).toBe(true);
    }
  });

  it('a watch replaces the previous set; an empty set stops all output', async () => {
    const client = await connect();
    await client.call('tasks.watch', { taskIds: ['A', 'B'] });
    output('A', 'a1\n');
    output('B', 'b1\n');
    await client.call('tasks.watch', { taskIds: ['B'] });
    output('A', 'a2\n');
    output('B', 'b2\n');
    await client.call('tasks.watch', { taskIds: [] });
    output('A', 'a3\n');
    output('B', 'b3\n');
    await settle(client);
    expect(outputsOf(client)).toEqual(['A:a1\n', 'B:b1\n', 'B:b2\n']);
  });

  it('a watch belongs to its connection: a second connection of the same user sees none of it', async () => {
    const first = await connect();
    await first.call('tasks.watch', { taskIds: ['A'] });
    first.ws.terminate();
    const second = await connect();
    output('A', 'after\n');
    await settle(second);
    expect(outputsOf(second)).toEqual([]);
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
