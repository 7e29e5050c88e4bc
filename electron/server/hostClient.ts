import http from 'node:http';
import { WebSocket } from 'ws';
import { events, isEventName, methods } from '../../shared/contract.js';
import { parseJson, readServerFrame, writeFrame } from '../../shared/contracts/wire.js';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../shared/contract.js';
import type { ServerInfo } from './serverFile.js';

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
    const parsed = methods[method].output.safeParse(json);
    if (!parsed.success) return { ok: false, message: `unexpected reply from the Flotilla host to ${method}` };
    return { ok: true, value: parsed.data as MethodOutput<M> };
  }

  /** Opens the event stream; resolves once the host accepted it. */
  openEvents(): Promise<CallResult<EventStream>> {
    const url = new URL('/api/ws', this.base);
    url.protocol = 'ws:';
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${this.info.token}` } });
    const listeners = new Set<(event: HostEvent) => void>();
    /** Calls made on this connection, by frame id, waiting for their `result` or `error` frame. */
    const calls = new Map<number, (reply: CallResult<unknown>) => void>();
    let nextCallId = 1;
    const closed = new Promise<string>((resolve) => {
      ws.on('close', () => resolve('the connection to the Flotilla host closed'));
      ws.on('error', (error) => resolve(`lost the connection to the Flotilla host: ${error.message}`));
    });
    void closed.then((reason) => {
      for (const settle of calls.values()) settle({ ok: false, message: reason });
      calls.clear();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = parseServerFrame(String(data));
      if (frame?.type === 'event') {
        for (const listener of listeners) listener(frame.event);
      } else if (frame) {
        const settle = calls.get(frame.id);
        calls.delete(frame.id);
        settle?.(frame.type === 'result' ? { ok: true, value: frame.output } : { ok: false, message: frame.message });
      }
    });
    /** One contract call over this connection (for what belongs to a connection, like watching). */
    const call = <M extends MethodName>(method: M, input: MethodInput<M>): Promise<CallResult<MethodOutput<M>>> =>
      new Promise((resolve) => {
        if (ws.readyState !== WebSocket.OPEN) return resolve({ ok: false, message: 'the connection to the Flotilla host closed' });
        const id = nextCallId++;
        calls.set(id, (reply) => {
          if (!reply.ok) return resolve(reply);
          const parsed = methods[method].output.safeParse(reply.value);
          resolve(parsed.success ? { ok: true, value: parsed.data as MethodOutput<M> } : { ok: false, message: `unexpected reply from the Flotilla host to ${method}` });
        });
        ws.send(writeFrame({ type: 'invoke', id, method, input }));
      });
    const stream: EventStream = {
      on(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async watch(taskIds) {
        const reply = await call('tasks.watch', { taskIds });
        if (!reply.ok) return reply;
        return reply.value.ok ? { ok: true, value: undefined } : { ok: false, message: reply.value.message };
      },
      closed,
      close: () => ws.close(),
    };
    return new Promise((resolve) => {
      ws.once('open', () => resolve({ ok: true, value: stream }));
      ws.once('unexpected-response', (_req, res) => {
        resolve({ ok: false, message: errorText(res.statusCode ?? 0, undefined) });
        ws.terminate();
      });
      ws.once('error', (error) => resolve({ ok: false, message: this.unreachable(error) }));
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

type ParsedFrame =
  | { type: 'event'; event: HostEvent }
  | { type: 'result'; id: number; output: unknown }
  | { type: 'error'; id: number; message: string };

function parseServerFrame(text: string): ParsedFrame | undefined {
  const frame = readServerFrame(text);
  if (!frame) return undefined;
  if (frame.type !== 'event') return frame;
  if (!isEventName(frame.event)) return undefined;
  const payload = events[frame.event].safeParse(frame.payload);
  return payload.success ? { type: 'event', event: { event: frame.event, payload: payload.data } as HostEvent } : undefined;
}
