import {
  isEventName,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../../shared/contract.js';
import { readServerFrame, writeFrame, type ServerFrame } from '../../../shared/contracts/wire.js';
import { backoffDelay } from './backoff.js';
import { parseOutput, parsePayload } from './parseContract.js';
import { TerminalRouter } from './terminalLink.js';
import type { ConnectionStatus, UiClient } from './uiClient.js';

/** The few socket callbacks the client needs; adapters map a real WebSocket onto them. */
export interface SocketHandlers {
  onOpen(): void;
  /** Text frames: the contract (JSON). */
  onMessage(text: string): void;
  /** Binary frames: terminal bytes (shared/contracts/wire.ts). */
  onBinary(bytes: Uint8Array): void;
  /** Called once when the socket closes or fails to open. */
  onClose(): void;
}
export interface SocketLike {
  send(text: string): void;
  sendBinary(bytes: Uint8Array): void;
  close(): void;
}
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

export interface WsClientOptions {
  url: string;
  createSocket: SocketFactory;
  /** For tests: jitter source in [0, 1). */
  random?: () => number;
}

interface PendingCall {
  frame: string;
  isSent: boolean;
  settle: (frame: ServerFrame) => void;
  fail: (error: Error) => void;
}

export const CONNECTION_LOST_MESSAGE = 'the connection to the Flotilla host was lost; the call may or may not have run';

/**
 * The contract over one WebSocket (headless host). Calls made while disconnected wait and
 * go out on the next connect; calls already sent when the link drops are rejected, since
 * nobody can tell whether the host ran them.
 */
export function createWsClient(options: WsClientOptions): UiClient {
  const random = options.random ?? Math.random;
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const pending = new Map<number, PendingCall>();
  let status: ConnectionStatus = 'connecting';
  let socket: SocketLike | null = null;
  let isOpen = false;
  let attempt = 0;
  let nextId = 1;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let isDisposed = false;
  // Frames while down are dropped: views re-attach on reconnect and start from a snapshot.
  const terminals = new TerminalRouter((bytes) => {
    if (isOpen && socket) socket.sendBinary(bytes);
  });

  function setStatus(next: ConnectionStatus): void {
    if (next === status) return;
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  }

  function connect(): void {
    retryTimer = null;
    let isCurrent = true;
    const current = options.createSocket(options.url, {
      onOpen() {
        if (!isCurrent || isDisposed) return;
        isOpen = true;
        attempt = 0;
        setStatus('connected');
        for (const call of pending.values()) {
          if (call.isSent) continue;
          current.send(call.frame);
          call.isSent = true;
        }
      },
      onMessage(text) {
        if (!isCurrent) return;
        handleFrame(text);
      },
      onBinary(bytes) {
        if (!isCurrent) return;
        terminals.dispatch(bytes);
      },
      onClose() {
        if (!isCurrent) return;
        isCurrent = false;
        isOpen = false;
        socket = null;
        for (const [id, call] of pending) {
          if (!call.isSent) continue;
          pending.delete(id);
          call.fail(new Error(CONNECTION_LOST_MESSAGE));
        }
        if (isDisposed) return;
        setStatus('reconnecting');
        retryTimer = setTimeout(connect, backoffDelay(attempt, random));
        attempt += 1;
      },
    });
    socket = current;
  }

  function handleFrame(text: string): void {
    const frame = readServerFrame(text);
    if (!frame) {
      console.warn('flotilla: ignored a malformed frame from the host');
      return;
    }
    if (frame.type === 'event') {
      if (!isEventName(frame.event)) return;
      const set = listeners.get(frame.event);
      if (!set || set.size === 0) return;
      const payload = parsePayload(frame.event, frame.payload);
      if (payload === null) return;
      for (const listener of [...set]) (listener as (p: typeof payload) => void)(payload);
      return;
    }
    const call = pending.get(frame.id);
    if (!call) return;
    pending.delete(frame.id);
    call.settle(frame);
  }

  connect();

  return {
    invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      if (isDisposed) return Promise.reject(new Error('the client is closed'));
      const id = nextId++;
      const frame = writeFrame({ type: 'invoke', id, method, input });
      return new Promise<MethodOutput<M>>((resolve, reject) => {
        const call: PendingCall = {
          frame,
          isSent: false,
          fail: reject,
          settle(reply) {
            if (reply.type === 'error') return reject(new Error(reply.message));
            if (reply.type !== 'result') return;
            try {
              resolve(parseOutput(method, reply.output));
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          },
        };
        pending.set(id, call);
        if (isOpen && socket) {
          socket.send(frame);
          call.isSent = true;
        }
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    terminals,
    connectionStatus: () => status,
    onConnectionChange(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    dispose() {
      if (isDisposed) return;
      isDisposed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      socket?.close();
      socket = null;
      isOpen = false;
      for (const call of pending.values()) call.fail(new Error('the client is closed'));
      pending.clear();
      statusListeners.clear();
      listeners.clear();
    },
  };
}

/** The browser's WebSocket behind the small SocketLike interface. */
export const browserSocketFactory: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  // ArrayBuffer, not Blob: frames decode synchronously, in order with the text frames.
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
    else if (event.data instanceof ArrayBuffer) handlers.onBinary(new Uint8Array(event.data));
  };
  // Browsers always follow `error` with `close`, including for a refused upgrade (401/403).
  ws.onclose = () => handlers.onClose();
  return {
    send: (text) => ws.send(text),
    sendBinary: (bytes) => ws.send(bytes),
    close: () => ws.close(),
  };
};
