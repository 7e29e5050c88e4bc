import { describe, expect, it } from 'vitest';
import { CLIENT_CLOSED_MESSAGE, CONNECTION_LOST_MESSAGE, createSocketClient, type SocketFactory, type SocketHandlers, type SocketStatus } from './socketClient.js';
import { readInvokeFrame, writeFrame } from './wire.js';

/** One socket the client opened; the test plays the host and the network. */
interface FakeSocket {
  handlers: SocketHandlers;
  sent: string[];
  sentBinary: Uint8Array[];
  isClosed: boolean;
}

function fakeNetwork() {
  const sockets: FakeSocket[] = [];
  const factory: SocketFactory = (_url, handlers) => {
    const socket: FakeSocket = { handlers, sent: [], sentBinary: [], isClosed: false };
    sockets.push(socket);
    return {
      send: (text) => socket.sent.push(text),
      sendBinary: (bytes) => socket.sentBinary.push(bytes),
      close: () => {
        socket.isClosed = true;
      },
    };
  };
  const last = (): FakeSocket => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket yet');
    return socket;
  };
  return { sockets, factory, last };
}

/** Timers the test runs by hand: nothing here waits for real time. */
function manualTimers() {
  const scheduled: Array<{ run: () => void; ms: number; isCancelled: boolean }> = [];
  return {
    scheduled,
    policy: {
      delay: (attempt: number) => 100 * (attempt + 1),
      schedule(run: () => void, ms: number) {
        const entry = { run, ms, isCancelled: false };
        scheduled.push(entry);
        return () => {
          entry.isCancelled = true;
        };
      },
    },
    runNext() {
      const entry = scheduled.find((e) => !e.isCancelled);
      if (!entry) throw new Error('nothing scheduled');
      scheduled.splice(scheduled.indexOf(entry), 1);
      entry.run();
    },
  };
}

const idsOf = (socket: FakeSocket) => socket.sent.map((text) => readInvokeFrame(text)?.id);
const reply = (socket: FakeSocket, id: number, output: unknown) => socket.handlers.onMessage(writeFrame({ type: 'result', id, output }));

describe('createSocketClient calls', () => {
  it('queues calls until the socket opens, numbers them, and pairs each reply with its call', async () => {
    const net = fakeNetwork();
    const client = createSocketClient({ url: 'ws://host/api/ws', createSocket: net.factory });
    expect(client.status()).toBe('connecting');
    const first = client.call('tasks.list', {});
    const second = client.call('repos.list', {});
    expect(net.last().sent).toEqual([]);
    net.last().handlers.onOpen();
    expect(client.status()).toBe('connected');
    expect(net.last().sent.map((text) => readInvokeFrame(text))).toEqual([
      { type: 'invoke', id: 1, method: 'tasks.list', input: {} },
      { type: 'invoke', id: 2, method: 'repos.list', input: {} },
    ]);
    reply(net.last(), 2, { repos: [] });
    reply(net.last(), 1, { tasks: [] });
    await expect(second).resolves.toEqual({ repos: [] });
    await expect(first).resolves.toEqual({ tasks: [] });
    // Once open, a call goes out at once.
    void client.call('tasks.list', {});
    expect(idsOf(net.last())).toEqual([1, 2, 3]);
  });

  it('rejects a call answered by an error frame; ignores replies nobody waits for', async () => {
    const net = fakeNetwork();
    const client = createSocketClient({ url: 'ws://host/api/ws', createSocket: net.factory });
    net.last().handlers.onOpen();
    const call = client.call('tasks.get', { id: 'x' });
    reply(net.last(), 99, { ok: true });
    net.last().handlers.onMessage(writeFrame({ type: 'error', id: 1, message: 'invalid input: id' }));
    await expect(call).rejects.toThrow('invalid input: id');
  });
});

describe('createSocketClient events', () => {
  it('delivers parsed payloads to the event’s listeners, and drops (saying so) what breaks the contract', () => {
    const net = fakeNetwork();
    const warnings: string[] = [];
    const client = createSocketClient({ url: 'ws://host/api/ws', createSocket: net.factory, warn: (message) => warnings.push(message) });
    net.last().handlers.onOpen();
    const first: unknown[] = [];
    const second: unknown[] = [];
    const off = client.on('repos.onDidChange', (payload) => first.push(payload));
    client.on('repos.onDidChange', (payload) => second.push(payload));
    const socket = net.last();
    socket.handlers.onMessage(writeFrame({ type: 'event', event: 'repos.onDidChange', payload: { repos: 'not a list' } }));
    socket.handlers.onMessage(writeFrame({ type: 'event', event: 'no.such.event', payload: {} }));
    socket.handlers.onMessage('not json');
    // Nobody listens: not even parsed, so nothing to say about it.
    socket.handlers.onMessage(writeFrame({ type: 'event', event: 'tasks.onDidChange', payload: { task: 'broken' } }));
    socket.handlers.onMessage(writeFrame({ type: 'event', event: 'repos.onDidChange', payload: { repos: [] } }));
    off();
    socket.handlers.onMessage(writeFrame({ type: 'event', event: 'repos.onDidChange', payload: { repos: [] } }));
    expect(first).toEqual([{ repos: [] }]);
    expect(second).toEqual([{ repos: [] }, { repos: [] }]);
    expect(warnings).toEqual([expect.stringMatching(/^flotilla: dropped malformed repos.onDidChange event: /), 'flotilla: ignored a malformed frame from the host']);
  });

  it('passes binary frames on, and sends binary only while connected', () => {
    const net = fakeNetwork();
    const received: Uint8Array[] = [];
    const client = createSocketClient({ url: 'ws://host/api/ws', createSocket: net.factory, onBinary: (bytes) => received.push(bytes) });
    client.sendBinary(new Uint8Array([1]));
    net.last().handlers.onOpen();
    client.sendBinary(new Uint8Array([2]));
    net.last().handlers.onBinary(new Uint8Array([3]));
    expect(net.last().sentBinary).toEqual([new Uint8Array([2])]);
    expect(received).toEqual([new Uint8Array([3])]);
  });
});

describe('createSocketClient when the link drops', () => {
  it('with a reconnect policy: fails sent calls, keeps unsent ones, and retries with the policy’s delays', async () => {
    const net = fakeNetwork();
    const timers = manualTimers();
    const client = createSocketClient({ url: 'ws://host/api/ws', createSocket: net.factory, reconnect: timers.policy });
    const statuses: SocketStatus[] = [];
    client.onStatus((status) => statuses.push(status));
    net.last().handlers.onOpen();
    const inFlight = client.call('tasks.list', {});
    net.last().handlers.onClose('gone');
    await expect(inFlight).rejects.toThrow(CONNECTION_LOST_MESSAGE);
    expect(client.status()).toBe('reconnecting');

    const later = client.call('repos.list', {});
    // Two failed attempts: the delay grows with each.
    timers.runNext();
    net.last().handlers.onClose();
    timers.runNext();
    expect(net.sockets).toHaveLength(3);
    expect(timers.scheduled).toEqual([]);
    net.last().handlers.onOpen();
    expect(idsOf(net.last())).toEqual([2]);
    reply(net.last(), 2, { repos: [] });
    await expect(later).resolves.toEqual({ repos: [] });
    expect(statuses).toEqual(['connected', 'reconnecting', 'connected']);

    // A connect resets the backoff.
    net.last().handlers.onClose();
    expect(timers.scheduled.map((e) => e.ms)).toEqual([100]);
  });

  it('records the delays it asked for', () => {
    const net = fakeNetwork();
    const timers = manualTimers();
    createSocketClient({ url: 'ws://host/api/ws', createSocket: net.factory, reconnect: timers.policy });
    net.last().handlers.onClose();
    expect(timers.scheduled.map((e) => e.ms)).toEqual([100]);
    timers.runNext();
    net.last().handlers.onClose();
    expect(timers.scheduled.map((e) => e.ms)).toEqual([200]);
  });

  it('without one: the first close is final, with the adapter’s reason', async () => {
    const net = fakeNetwork();
    const client = createSocketClient({ url: 'ws://host/api/ws', createSocket: net.factory });
    net.last().handlers.onOpen();
    const inFlight = client.call('tasks.watch', { taskIds: [] });
    net.last().handlers.onClose('lost the connection to the Flotilla host: read ECONNRESET');
    await expect(inFlight).rejects.toThrow('lost the connection to the Flotilla host: read ECONNRESET');
    await expect(client.closed).resolves.toBe('lost the connection to the Flotilla host: read ECONNRESET');
    await expect(client.call('tasks.list', {})).rejects.toThrow('read ECONNRESET');
    expect(client.status()).toBe('closed');
    expect(net.sockets).toHaveLength(1);
  });
});

describe('createSocketClient dispose', () => {
  it('stops retrying, closes the socket and rejects what waits, now and later', async () => {
    const net = fakeNetwork();
    const timers = manualTimers();
    const client = createSocketClient({ url: 'ws://host/api/ws', createSocket: net.factory, reconnect: timers.policy });
    net.last().handlers.onClose();
    const waiting = client.call('tasks.list', {});
    client.dispose();
    await expect(waiting).rejects.toThrow(CLIENT_CLOSED_MESSAGE);
    await expect(client.call('tasks.list', {})).rejects.toThrow(CLIENT_CLOSED_MESSAGE);
    await expect(client.closed).resolves.toBe(CLIENT_CLOSED_MESSAGE);
    expect(timers.scheduled.every((e) => e.isCancelled)).toBe(true);
  });

  it('closes an open socket, and a late close from it changes nothing', () => {
    const net = fakeNetwork();
    const timers = manualTimers();
    const client = createSocketClient({ url: 'ws://host/api/ws', createSocket: net.factory, reconnect: timers.policy });
    net.last().handlers.onOpen();
    client.dispose();
    expect(net.last().isClosed).toBe(true);
    net.last().handlers.onClose();
    expect(timers.scheduled).toEqual([]);
    expect(client.status()).toBe('closed');
  });
});
