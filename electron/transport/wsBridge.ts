import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { ConnectionHandlers, EventName, EventPayload, Handlers } from '../../shared/contract.js';
import { readInvokeFrame, writeFrame, type ServerFrame } from '../../shared/contracts/wire.js';
import type { TerminalChannel } from '../core/terminal/terminalChannel.js';
import { invokeMethod } from './dispatch.js';
import type { DispatchLog } from './dispatch.js';
import { ConnectionScope, handlersFor, watchedTaskOf } from './connectionScope.js';
import { rawBytes, rawText } from './wsData.js';

/** 4 MiB per client frame: a long prompt is kilobytes; anything near this is not a call. */
const MAX_CLIENT_FRAME_BYTES = 4 * 1024 * 1024;
/**
 * 16 MiB queued to one client: a tab that stopped reading (asleep, hung) is cut off rather
 * than growing the host's memory; the UI reconnects and reloads its state.
 */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface WsBridge {
  /** Completes an upgrade the caller has already authorized. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** To every client, except command output: only to the clients watching its task (`tasks.watch`). */
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void;
  readonly clientCount: number;
  close(): void;
}

/**
 * The contract over WebSocket: `invoke` frames in, `result`/`error`/`event` frames out (JSON
 * text), and terminal bytes as binary frames, never JSON (all of shared/contracts/wire.ts).
 */
export function createWsBridge(opts: {
  handlers: Handlers;
  /**
   * One terminal channel per connection (`terminal.attach` streams on it); without it, binary
   * frames close the connection.
   */
  openTerminalChannel?: (sendFrame: (frame: Uint8Array) => void) => TerminalChannel;
  log?: DispatchLog;
}): WsBridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
  /** What each open connection watches; a connection is here from its upgrade to its close. */
  const scopes = new Map<WebSocket, ConnectionScope>();

  wss.on('connection', (ws) => {
    const terminals = opts.openTerminalChannel?.((frame) => sendBinary(ws, frame)) ?? null;
    const scope = new ConnectionScope(() => terminals);
    scopes.set(ws, scope);
    const handlers = handlersFor(opts.handlers, scope);
    ws.on('message', (data, isBinary) => void onMessage(ws, handlers, terminals, data, isBinary));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      scopes.delete(ws);
      // Un-acked output of a closed connection must not hold its ptys paused.
      terminals?.dispose();
    });
  });

  async function onMessage(
    ws: WebSocket,
    handlers: Handlers & ConnectionHandlers,
    terminals: TerminalChannel | null,
    data: RawData,
    isBinary: boolean,
  ): Promise<void> {
    if (isBinary) {
      if (!terminals) {
        ws.close(1003, 'binary frames are not used');
        return;
      }
      terminals.handleFrame(rawBytes(data));
      return;
    }
    const frame = readInvokeFrame(rawText(data));
    if (!frame) {
      // A malformed frame is a client bug with no id to answer to: end the conversation.
      ws.close(1008, 'malformed frame');
      return;
    }
    const { id, method, input } = frame;
    const result = await invokeMethod(handlers, method, input, opts.log);
    send(ws, result.ok ? { type: 'result', id, output: result.output } : { type: 'error', id, message: result.message });
  }

  function sendBinary(ws: WebSocket, frame: Uint8Array): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(frame, { binary: true });
  }

  function send(ws: WebSocket, frame: ServerFrame): void {
    sendText(ws, writeFrame(frame));
  }

  function sendText(ws: WebSocket, text: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(text);
  }

  return {
    accept(request, socket, head) {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    broadcast(event, payload) {
      const taskId = watchedTaskOf(event, payload);
      // Serialized once for all clients, and not at all when nobody watches the task.
      let text: string | undefined;
      for (const [ws, scope] of scopes) {
        if (taskId !== null && !scope.isWatching(taskId)) continue;
        text ??= writeFrame({ type: 'event', event, payload });
        sendText(ws, text);
      }
    },
    get clientCount() {
      return wss.clients.size;
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
