import { type EventName, type EventPayload, isEventName, type MethodName } from '../contract.js';
import { parsePayload } from './parseContract.js';
import { readServerFrame, writeFrame } from './wire.js';

/**
 * The client side of the contract over one WebSocket, whatever the runtime: request ids and
 * pending calls, event subscriptions, reconnects. The renderer (browser WebSocket) and the CLI
 * (Node's `ws`) each add a thin adapter (`SocketFactory`) and their own reading of outputs.
 */

/** The few socket callbacks the client needs; an adapter maps a real WebSocket onto them. */
export interface SocketHandlers {
  onOpen(): void;
  /** Text frames: the contract (JSON). */
  onMessage(text: string): void;
  /** Binary frames: terminal bytes (shared/contracts/wire.ts). */
  onBinary(bytes: Uint8Array): void;
  /** Called once when the socket closes or fails to open; `reason` in words when the adapter has them. */
  onClose(reason?: string): void;
}
export interface SocketLike {
  send(text: string): void;
  sendBinary(bytes: Uint8Array): void;
  close(): void;
}
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

/**
 * - `connecting`: the first attempt.
 * - `connected`: calls go through.
 * - `reconnecting`: the link dropped; another attempt is scheduled, events may be missed meanwhile.
 * - `closed`: for good (disposed, or dropped without `reconnect`); `closed` has resolved.
 */
export type SocketStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ReconnectPolicy {
  /** ms to wait before attempt `attempt` (0-based; a successful connect starts again at 0). */
  delay(attempt: number): number;
  /** Runs `run` after `ms` and returns a cancel (timers are the runtime's: shared/ has no types for them). */
  schedule(run: () => void, ms: number): () => void;
}

export interface SocketClientOptions {
  url: string;
  createSocket: SocketFactory;
  /** Without it the first close is final: every call still waiting fails with its reason. */
  reconnect?: ReconnectPolicy;
  /** Binary frames from the host. */
  onBinary?: (bytes: Uint8Array) => void;
  /** Malformed frames and payloads are dropped; this says so. Default: silently. */
  warn?: (message: string) => void;
}

export interface SocketClient {
  /**
   * One contract call. Resolves with the raw output (the caller parses it against the contract);
   * rejects on an `error` frame, a lost link or a closed client. Made while the link is down
   * (but will come back), it waits and goes out on the next connect.
   */
  call(method: MethodName, input: unknown): Promise<unknown>;
  /** Parsed payloads of one event; returns an unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Dropped while the link is down. */
  sendBinary(bytes: Uint8Array): void;
  status(): SocketStatus;
  onStatus(listener: (status: SocketStatus) => void): () => void;
  /** Resolves with why, once the client will not connect again. */
  readonly closed: Promise<string>;
  /** Stops reconnecting, closes the socket and rejects what is in flight. */
  dispose(): void;
}

export const CONNECTION_LOST_MESSAGE = 'the connection to the Flotilla host was lost; the call may or may not have run';
export const CLIENT_CLOSED_MESSAGE = 'the client is closed';
/** When the adapter gave no reason for a final close. */
const CLOSED_MESSAGE = 'the connection to the Flotilla host closed';

interface PendingCall {
  frame: string;
  isSent: boolean;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

export function createSocketClient(options: SocketClientOptions): SocketClient {
  const warn = options.warn ?? (() => {});
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const statusListeners = new Set<(status: SocketStatus) => void>();
  const pending = new Map<number, PendingCall>();
  let status: SocketStatus = 'connecting';
  let socket: SocketLike | null = null;
  let isOpen = false;
  let attempt = 0;
  let nextId = 1;
  let cancelRetry: (() => void) | null = null;
  /** Why the client closed for good; null while it may still connect. */
  let closedReason: string | null = null;
  let resolveClosed: (reason: string) => void = () => {};
  const closed = new Promise<string>((resolve) => (resolveClosed = resolve));

  function setStatus(next: SocketStatus): void {
    if (next === status) return;
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  }

  function closeForGood(reason: string): void {
    closedReason = reason;
    for (const call of pending.values()) call.reject(new Error(reason));
    pending.clear();
    setStatus('closed');
    resolveClosed(reason);
  }

  function connect(): void {
    cancelRetry = null;
    let isCurrent = true;
    const current = options.createSocket(options.url, {
      onOpen() {
        if (!isCurrent || closedReason !== null) return;
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
        if (isCurrent) handleFrame(text);
      },
      onBinary(bytes) {
        if (isCurrent) options.onBinary?.(bytes);
      },
      onClose(reason) {
        if (!isCurrent) return;
        isCurrent = false;
        isOpen = false;
        socket = null;
        if (closedReason !== null) return;
        const { reconnect } = options;
        if (!reconnect) return closeForGood(reason ?? CLOSED_MESSAGE);
        // Sent calls may or may not have run: nobody can tell, so they fail. Unsent ones wait.
        for (const [id, call] of pending) {
          if (!call.isSent) continue;
          pending.delete(id);
          call.reject(new Error(CONNECTION_LOST_MESSAGE));
        }
        setStatus('reconnecting');
        cancelRetry = reconnect.schedule(connect, reconnect.delay(attempt));
        attempt += 1;
      },
    });
    if (isCurrent) socket = current;
  }

  function handleFrame(text: string): void {
    const frame = readServerFrame(text);
    if (!frame) return warn('flotilla: ignored a malformed frame from the host');
    if (frame.type === 'event') return deliver(frame.event, frame.payload);
    const call = pending.get(frame.id);
    if (!call) return;
    pending.delete(frame.id);
    if (frame.type === 'error') call.reject(new Error(frame.message));
    else call.resolve(frame.output);
  }

  /** Parsed once per frame, and only when someone listens. */
  function deliver(event: string, raw: unknown): void {
    if (!isEventName(event)) return;
    const set = listeners.get(event);
    if (!set || set.size === 0) return;
    const payload = parsePayload(event, raw, warn);
    if (payload === null) return;
    for (const listener of [...set]) (listener as (p: typeof payload) => void)(payload);
  }

  connect();

  return {
    call(method, input) {
      if (closedReason !== null) return Promise.reject(new Error(closedReason));
      const id = nextId++;
      const frame = writeFrame({ type: 'invoke', id, method, input });
      return new Promise<unknown>((resolve, reject) => {
        const call: PendingCall = { frame, isSent: false, resolve, reject };
        pending.set(id, call);
        if (isOpen && socket) {
          socket.send(frame);
          call.isSent = true;
        }
      });
    },
    on(event, listener) {
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
    sendBinary(bytes) {
      if (isOpen && socket) socket.sendBinary(bytes);
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    closed,
    dispose() {
      cancelRetry?.();
      cancelRetry = null;
      const current = socket;
      socket = null;
      isOpen = false;
      if (closedReason === null) closeForGood(CLIENT_CLOSED_MESSAGE);
      current?.close();
      statusListeners.clear();
      listeners.clear();
    },
  };
}
