import http from 'node:http';
import { EVENT_NAMES, methods } from '../../shared/contract.js';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../shared/contract.js';
import { createSocketClient, type SocketClient } from '../../shared/contracts/socketClient.js';
import { parseJson } from '../../shared/contracts/wire.js';
import { nodeSocketFactory, type SocketEnd } from './nodeSocket.js';
import type { ServerInfo } from '../transport/serverFile.js';

/** A call that did not produce an output: the host refused it, or could not be reached. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; message: string };

export type HostEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

export interface EventStream {
  /** Every event from now on; returns an unsubscribe function. */
  on(listener: (event: HostEvent) => void): () => void;
  /**
   * `tasks.watch` on this connection: the command output of these tasks comes on this stream
   * from the moment it resolves (no other task's output does). Replaces the previous set.
   */
  watch(taskIds: string[]): Promise<CallResult<void>>;
  /** Resolves with a reason when the connection ends. */
  readonly closed: Promise<string>;
  close(): void;
}

/**
 * The CLI's side of the headless server: `POST /api/invoke/<method>` with the bearer token,
 * and a WebSocket for events. Outputs are parsed with the contract, like any untrusted input.
 */
export class HostClient {
  private readonly base: URL;

  constructor(private readonly info: ServerInfo) {
    const url = new URL(info.url);
    url.search = '';
    url.pathname = '/';
    this.base = url;
  }

  async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<CallResult<MethodOutput<M>>> {
    const reply = await this.post(`/api/invoke/${method}`, JSON.stringify(input));
    if (!reply.ok) return reply;
    const { status, body } = reply.value;
    const json = parseJson(body);
    if (status !== 200) return { ok: false, message: errorText(status, json) };
    return parseReply(method, json);
  }

  /** Opens the event stream; resolves once the host accepted it. */
  openEvents(): Promise<CallResult<EventStream>> {
    const url = new URL('/api/ws', this.base);
    url.protocol = 'ws:';
    // No reconnect: one connection per command, and a drop ends the command with its reason.
    const connection = createSocketClient({
      url: url.href,
      createSocket: nodeSocketFactory({ headers: { Authorization: `Bearer ${this.info.token}` }, describeEnd: (end) => this.describeEnd(end) }),
    });
    const stream: EventStream = {
      on: (listener) => onEveryEvent(connection, listener),
      async watch(taskIds) {
        const reply = await callOn(connection, 'tasks.watch', { taskIds });
        if (!reply.ok) return reply;
        return reply.value.ok ? { ok: true, value: undefined } : { ok: false, message: reply.value.message };
      },
      closed: connection.closed,
      close: () => connection.dispose(),
    };
    return new Promise((resolve) => {
      const off = connection.onStatus((status) => {
        if (status !== 'connected') return;
        off();
        resolve({ ok: true, value: stream });
      });
      void connection.closed.then((message) => resolve({ ok: false, message }));
    });
  }

  private post(path: string, body: string): Promise<CallResult<{ status: number; body: string }>> {
    return new Promise((resolve) => {
      const request = http.request(
        new URL(path, this.base),
        {
          method: 'POST',
          // No keep-alive: one call per CLI run, and a pooled socket would hold the process open.
          agent: false,
          headers: {
            Authorization: `Bearer ${this.info.token}`,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ ok: true, value: { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') } }),
          );
          response.on('error', (error) => resolve({ ok: false, message: this.unreachable(error) }));
        },
      );
      request.on('error', (error) => resolve({ ok: false, message: this.unreachable(error) }));
      request.end(body);
    });
  }

  private describeEnd(end: SocketEnd): string {
    switch (end.kind) {
      case 'refused':
        return errorText(end.status, undefined);
      case 'failed':
        return end.wasOpen ? `lost the connection to the Flotilla host: ${end.error.message}` : this.unreachable(end.error);
      case 'closed':
        return 'the connection to the Flotilla host closed';
    }
  }

  private unreachable(error: Error): string {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ECONNREFUSED' ? 'connection refused' : error.message;
    return `cannot reach the Flotilla host at ${this.base.origin} (${why}); is \`flotilla serve\` still running?`;
  }
}

function errorText(status: number, json: unknown): string {
  if (status === 401) return 'the Flotilla host refused the token in server.json (restart `flotilla serve`)';
  const message = typeof json === 'object' && json !== null && 'error' in json && typeof json.error === 'string' ? json.error : undefined;
  return message ?? `the Flotilla host answered HTTP ${status}`;
}

/** One contract call over the event connection (for what belongs to a connection, like watching). */
async function callOn<M extends MethodName>(connection: SocketClient, method: M, input: MethodInput<M>): Promise<CallResult<MethodOutput<M>>> {
  try {
    return parseReply(method, await connection.call(method, input));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function parseReply<M extends MethodName>(method: M, output: unknown): CallResult<MethodOutput<M>> {
  const parsed = methods[method].output.safeParse(output);
  if (!parsed.success) return { ok: false, message: `unexpected reply from the Flotilla host to ${method}` };
  return { ok: true, value: parsed.data as MethodOutput<M> };
}

/** Every event of the connection, as one stream of HostEvents (parsed once per event). */
function onEveryEvent(connection: SocketClient, listener: (event: HostEvent) => void): () => void {
  const offs = EVENT_NAMES.map((event) => connection.on(event, (payload) => listener({ event, payload } as HostEvent)));
  return () => {
    for (const off of offs) off();
  };
}
