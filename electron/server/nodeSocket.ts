import { WebSocket } from 'ws';
import type { SocketFactory } from '../../shared/contracts/socketClient.js';
import { rawBytes, rawText } from '../transport/wsData.js';

/** How a client socket ended, for the caller to put in its own words. */
export type SocketEnd =
  /** The server answered the upgrade with this HTTP status (401: wrong token). */
  | { kind: 'refused'; status: number }
  | { kind: 'failed'; error: Error; wasOpen: boolean }
  | { kind: 'closed' };

/**
 * Node's `ws` client behind the client core's small socket interface (shared/contracts/
 * socketClient.ts), for the CLI. It reports the first sign of the end (a refused upgrade, an
 * error, a close), once, in the words `describeEnd` gives it.
 */
export function nodeSocketFactory(opts: { headers?: Record<string, string>; describeEnd: (end: SocketEnd) => string }): SocketFactory {
  return (url, handlers) => {
    const ws = new WebSocket(url, { headers: opts.headers ?? {} });
    let wasOpen = false;
    let hasEnded = false;
    const end = (how: SocketEnd) => {
      if (hasEnded) return;
      hasEnded = true;
      handlers.onClose(opts.describeEnd(how));
    };
    ws.on('open', () => {
      wasOpen = true;
      handlers.onOpen();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) handlers.onBinary(rawBytes(data));
      else handlers.onMessage(rawText(data));
    });
    ws.once('unexpected-response', (_request, response) => {
      end({ kind: 'refused', status: response.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', (error) => end({ kind: 'failed', error, wasOpen }));
    ws.on('close', () => end({ kind: 'closed' }));
    return {
      send: (text) => ws.send(text),
      sendBinary: (bytes) => ws.send(bytes),
      close: () => ws.close(),
    };
  };
}
