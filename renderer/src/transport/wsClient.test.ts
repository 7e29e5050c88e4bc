import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { decodeTerminalFrame, encodeTerminalFrame, type TerminalFrame } from '../../../shared/contracts/wire.js';
import { makeTask } from '../testing/fixtures.js';
import type { ConnectionStatus, UiClient } from './uiClient.js';
import { CONNECTION_LOST_MESSAGE, createWsClient, type SocketFactory } from './wsClient.js';

/** The `ws` package's client behind the same small interface the browser adapter fills. */
const nodeSocketFactory: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.on('open', () => handlers.onOpen());
  ws.on('message', (data, isBinary) => {
    if (!isBinary) handlers.onMessage(data.toString());
    else handlers.onBinary(new Uint8Array(data as Buffer));
  });
  ws.on('close', () => handlers.onClose());
  ws.on('error', () => {
    // 'close' always follows.
  });
  return { send: (text) => ws.send(text), sendBinary: (bytes) => ws.send(bytes), close: () => ws.close() };
};

interface InvokeFrame {
  type: 'invoke';
  id: number;
  method: string;
  input: unknown;
}

/** A real WebSocket server on a free port that answers with `reply` and records frames. */
async function startServer(reply: (frame: InvokeFrame, socket: WebSocket) => void, port = 0) {
  const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/api/ws' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  const received: InvokeFrame[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as InvokeFrame;
      received.push(frame);
      reply(frame, socket);
    });
  });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const client of server.clients) client.terminate();
      server.close(() => resolve());
    });
  return { server, port: address.port, url: `ws://127.0.0.1:${address.port}/api/ws`, received, close };
}

function waitForStatus(client: UiClient, wanted: ConnectionStatus): Promise<void> {
  if (client.connectionStatus() === wanted) return Promise.resolve();
  return new Promise((resolve) => {
    const off = client.onConnectionChange((status) => {
      if (status !== wanted) return;
      off();
      resolve();
    });
  });
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track<T extends { close?: () => Promise<void>; dispose?: () => void }>(thing: T): T {
  cleanups.push(() => (thing.dispose ? thing.dispose() : thing.close?.()));
  return thing;
}

describe('createWsClient', () => {
  it('sends invoke frames and resolves with the parsed output', async () => {
    const task = makeTask();
    const server = track(
      await startServer((frame, socket) => socket.send(JSON.stringify({ type: 'result', id: frame.id, output: { tasks: [task] } }))),
    );
    const client = track(createWsClient({ url: server.url, createSocket: nodeSocketFactory }));
    await expect(client.invoke('tasks.list', {})).resolves.toEqual({ tasks: [task] });
    expect(server.received).toEqual([{ type: 'invoke', id: 1, method: 'tasks.list', input: {} }]);
    expect(client.connectionStatus()).toBe('connected');
  });

  it('rejects on an error frame and on an output that breaks the contract', async () => {
    const server = track(
      await startServer((frame, socket) => {
        if (frame.method === 'tasks.get') socket.send(JSON.stringify({ type: 'error', id: frame.id, message: 'internal error: boom' }));
        else socket.send(JSON.stringify({ type: 'result', id: frame.id, output: { tasks: 'not an array' } }));
      }),
    );
    const client = track(createWsClient({ url: server.url, createSocket: nodeSocketFactory }));
    await expect(client.invoke('tasks.get', { id: 'x' })).rejects.toThrow('internal error: boom');
    await expect(client.invoke('tasks.list', {})).rejects.toThrow(/unexpected reply to tasks.list/);
  });

  it('delivers parsed events and drops malformed ones', async () => {
    const task = makeTask({ status: 'review' });
    const server = track(
      await startServer((frame, socket) => {
        socket.send(JSON.stringify({ type: 'event', event: 'tasks.onDidChange', payload: { task: { id: 'broken' } } }));
        socket.send(JSON.stringify({ type: 'event', event: 'no.such.event', payload: {} }));
        socket.send('not json');
        socket.send(JSON.stringify({ type: 'event', event: 'tasks.onDidChange', payload: { task } }));
        socket.send(JSON.stringify({ type: 'result', id: frame.id, output: { repos: [] } }));
      }),
    );
    const client = track(createWsClient({ url: server.url, createSocket: nodeSocketFactory }));
    const seen: unknown[] = [];
    const off = client.on('tasks.onDidChange', (payload) => seen.push(payload));
    await client.invoke('repos.list', {});
    expect(seen).toEqual([{ task }]);
    off();
  });

  it('queues calls made before the socket opens', async () => {
    const server = track(
      await startServer((frame, socket) => socket.send(JSON.stringify({ type: 'result', id: frame.id, output: { repos: [] } }))),
    );
    const client = track(createWsClient({ url: server.url, createSocket: nodeSocketFactory }));
    expect(client.connectionStatus()).toBe('connecting');
    const replies = await Promise.all([client.invoke('repos.list', {}), client.invoke('repos.list', {})]);
    expect(replies).toEqual([{ repos: [] }, { repos: [] }]);
    expect(server.received.map((f) => f.id)).toEqual([1, 2]);
  });

  it('rejects in-flight calls when the link drops, reconnects, and sends calls made meanwhile', async () => {
    let isSilent = true;
    const first = await startServer((frame, socket) => {
      // Swallow the first call, then drop everyone: the host died mid-call.
      if (isSilent) {
        isSilent = false;
        for (const client of first.server.clients) client.terminate();
        return;
      }
      socket.send(JSON.stringify({ type: 'result', id: frame.id, output: { repos: [] } }));
    });
    const port = first.port;
    const client = track(createWsClient({ url: first.url, createSocket: nodeSocketFactory, random: () => 0 }));
    const statuses: ConnectionStatus[] = [];
    client.onConnectionChange((status) => statuses.push(status));

    await expect(client.invoke('tasks.list', {})).rejects.toThrow(CONNECTION_LOST_MESSAGE);
    expect(client.connectionStatus()).toBe('reconnecting');
    await first.close();

    // Made while down: must wait and go out on the next connection.
    const later = client.invoke('repos.list', {});
    const second = track(
      await startServer((frame, socket) => socket.send(JSON.stringify({ type: 'result', id: frame.id, output: { repos: [] } })), port),
    );
    await expect(later).resolves.toEqual({ repos: [] });
    await waitForStatus(client, 'connected');
    expect(statuses[0]).toBe('connected');
    expect(statuses).toContain('reconnecting');
    expect(statuses.at(-1)).toBe('connected');
    expect(second.received.map((f) => f.method)).toEqual(['repos.list']);
  });

  it('keeps a call made while the host is down through failed attempts, and sends it once the host is back', async () => {
    const probe = await startServer(() => {});
    const { url, port } = probe;
    await probe.close();
    let attempts = 0;
    const countingFactory: SocketFactory = (u, handlers) => {
      attempts += 1;
      return nodeSocketFactory(u, handlers);
    };
    const client = track(createWsClient({ url, createSocket: countingFactory, random: () => 0 }));
    const pending = client.invoke('repos.list', {});
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(client.connectionStatus()).toBe('reconnecting');
    expect(attempts).toBeGreaterThanOrEqual(3);
    const server = track(
      await startServer((frame, socket) => socket.send(JSON.stringify({ type: 'result', id: frame.id, output: { repos: [] } })), port),
    );
    await expect(pending).resolves.toEqual({ repos: [] });
    expect(server.received.map((f) => f.method)).toEqual(['repos.list']);
  });

  it('stops retrying and rejects waiting calls after dispose', async () => {
    const probe = await startServer(() => {});
    const { url } = probe;
    await probe.close();
    let attempts = 0;
    const countingFactory: SocketFactory = (u, handlers) => {
      attempts += 1;
      return nodeSocketFactory(u, handlers);
    };
    const client = createWsClient({ url, createSocket: countingFactory, random: () => 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pending = client.invoke('repos.list', {});
    client.dispose();
    await expect(pending).rejects.toThrow('the client is closed');
    const afterDispose = attempts;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(attempts).toBe(afterDispose);
  });
});

describe('createWsClient terminals', () => {
  const SESSION = '0b6f1d2e-3c4a-4b5c-8d9e-0f1a2b3c4d5e';
  const OTHER = '1c7a2e3f-4d5b-4c6d-9e0f-1a2b3c4d5e6f';

  it('routes binary output by session, sends frames out, and acks output nobody shows', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api/ws' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const c of server.clients) c.terminate();
          server.close(() => resolve());
        }),
    );
    const fromClient: TerminalFrame[] = [];
    server.on('connection', (socket) => {
      socket.on('message', (data, isBinary) => {
        if (isBinary) {
          const frame = decodeTerminalFrame(new Uint8Array(data as Buffer));
          if (frame) fromClient.push(frame);
          return;
        }
        const frame = JSON.parse(data.toString()) as InvokeFrame;
        // Output for two sessions, in order, then the reply: the client must have routed both.
        socket.send(encodeTerminalFrame({ type: 'output', sessionId: SESSION, data: 'hé' }));
        socket.send(encodeTerminalFrame({ type: 'output', sessionId: OTHER, data: 'dropped' }));
        socket.send(encodeTerminalFrame({ type: 'output', sessionId: SESSION, data: 'llo\r\n' }));
        socket.send(JSON.stringify({ type: 'result', id: frame.id, output: { repos: [] } }));
      });
    });
    const client = track(createWsClient({ url: `ws://127.0.0.1:${address.port}/api/ws`, createSocket: nodeSocketFactory }));
    const terminals = client.terminals;
    if (!terminals) throw new Error('the WebSocket client has terminals');
    let seen = '';
    const off = terminals.onOutput(SESSION, (data) => {
      seen += data;
    });
    await client.invoke('repos.list', {});
    expect(seen).toBe('héllo\r\n');
    terminals.send({ type: 'input', sessionId: SESSION, data: 'ls\r' });
    terminals.send({ type: 'ack', sessionId: SESSION, chars: 7 });
    off();
    await expect.poll(() => fromClient.length).toBe(3);
    expect(fromClient).toEqual([
      // Nobody showed OTHER: acked at once, so the host never pauses it for us.
      { type: 'ack', sessionId: OTHER, chars: 'dropped'.length },
      { type: 'input', sessionId: SESSION, data: 'ls\r' },
      { type: 'ack', sessionId: SESSION, chars: 7 },
    ]);
  });
});
