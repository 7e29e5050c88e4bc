import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract.js';
import { parseOutput } from '../../../shared/contracts/parseContract.js';
import { createSocketClient, type ReconnectPolicy, type SocketFactory } from '../../../shared/contracts/socketClient.js';
import { backoffDelay } from './backoff.js';
import { TerminalRouter } from './terminalLink.js';
import type { ConnectionStatus, UiClient } from './uiClient.js';

export { CONNECTION_LOST_MESSAGE } from '../../../shared/contracts/socketClient.js';
export type { SocketFactory, SocketHandlers, SocketLike } from '../../../shared/contracts/socketClient.js';

export interface WsClientOptions {
  url: string;
  createSocket: SocketFactory;
  /** For tests: jitter source in [0, 1). */
  random?: () => number;
}

/**
 * The contract over one WebSocket (headless host), on the shared client core
 * (shared/contracts/socketClient.ts). Calls made while disconnected wait and go out on the next
 * connect; calls already sent when the link drops are rejected, since nobody can tell whether
 * the host ran them. It reconnects until disposed, with jittered backoff (backoff.ts).
 */
export function createWsClient(options: WsClientOptions): UiClient {
  const random = options.random ?? Math.random;
  const reconnect: ReconnectPolicy = {
    delay: (attempt) => backoffDelay(attempt, random),
    schedule(run, ms) {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    },
  };
  // Frames while down are dropped: views re-attach on reconnect and start from a snapshot.
  const terminals = new TerminalRouter((bytes) => socket.sendBinary(bytes));
  const socket = createSocketClient({
    url: options.url,
    createSocket: options.createSocket,
    reconnect,
    onBinary: (bytes) => terminals.dispatch(bytes),
    warn: (message) => console.warn(message),
  });
  /** `closed` comes only with dispose, after which nobody asks: the UI keeps the last real status. */
  let status: ConnectionStatus = 'connecting';
  socket.onStatus((next) => {
    if (next !== 'closed') status = next;
  });

  return {
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      return parseOutput(method, await socket.call(method, input));
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return socket.on(event, listener);
    },
    terminals,
    connectionStatus: () => status,
    onConnectionChange(listener) {
      return socket.onStatus((next) => {
        if (next !== 'closed') listener(next);
      });
    },
    dispose: () => socket.dispose(),
  };
}

/** The browser's WebSocket behind the client core's small SocketLike interface. */
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
