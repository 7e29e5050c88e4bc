import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { EventName, EventPayload, Handlers } from '../../shared/contract.js';
import { invokeMethod } from './dispatch.js';
import type { DispatchLog } from './dispatch.js';

/** 4 MiB per client frame: a long prompt is kilobytes; anything near this is not a call. */
const MAX_CLIENT_FRAME_BYTES = 4 * 1024 * 1024;
/**
 * 16 MiB queued to one client: a tab that stopped reading (asleep, hung) is cut off rather
 * than growing the host's memory; the UI reconnects and reloads its state.
 */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

const InvokeFrameSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  method: z.string(),
  input: z.unknown(),
});

export type ServerFrame =
  | { type: 'result'; id: number; output: unknown }
  | { type: 'error'; id: number; message: string }
  | { type: 'event'; event: EventName; payload: unknown };

export interface WsBridge {
  /** Completes an upgrade the caller has already authorized. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void;
  readonly clientCount: number;
  close(): void;
}

/** The contract over WebSocket: `invoke` frames in, `result`/`error`/`event` frames out. */
export function createWsBridge(opts: { handlers: Handlers; log?: DispatchLog }): WsBridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });

  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => void onMessage(ws, data, isBinary));
    ws.on('error', () => ws.terminate());
  });

  async function onMessage(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) {
      ws.close(1003, 'binary frames are not used');
      return;
    }
    const frame = InvokeFrameSchema.safeParse(parseJson(rawText(data)));
    if (!frame.success) {
      // A malformed frame is a client bug with no id to answer to: end the conversation.
      ws.close(1008, 'malformed frame');
      return;
    }
    const { id, method, input } = frame.data;
    const result = await invokeMethod(opts.handlers, method, input, opts.log);
    send(ws, result.ok ? { type: 'result', id, output: result.output } : { type: 'error', id, message: result.message });
  }

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(frame));
  }

  return {
    accept(request, socket, head) {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    broadcast(event, payload) {
      for (const ws of wss.clients) send(ws, { type: 'event', event, payload });
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

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
