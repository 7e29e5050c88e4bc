import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Host } from '../core/hostTypes.js';
import { SECURITY_HEADERS } from './contentSecurityPolicy.js';
import { invokeMethod } from './dispatch.js';
import type { DispatchLog } from './dispatch.js';
import { authCookie, checkRequest, checkSource, formatHostname, newToken, tokenMatches } from './requestGuard.js';
import type { GuardConfig } from './requestGuard.js';
import { readStaticFile } from './staticFiles.js';
import { createWsBridge } from './wsBridge.js';

export interface StartServerOptions {
  host: Host;
  /** Address to bind; loopback unless the user asks otherwise. */
  hostname?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The renderer build (index.html and assets). */
  rendererDir: string;
  log?: DispatchLog;
}

export interface RunningServer {
  /** Opens the UI already authorized: carries the token once, then the cookie takes over. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** 4 MiB per API body: a prompt is kilobytes; more is a mistake or an attack. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const INVOKE_PREFIX = '/api/invoke/';
const WS_PATH = '/api/ws';

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>Flotilla: not authorized</title>
<p>This Flotilla host needs its access token. Open the URL printed by <code>flotilla serve</code>
(it is also in <code>server.json</code> in Flotilla's data folder).</p>
`;
const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Flotilla</title>
<p>The Flotilla UI is not built yet: run <code>npm run build</code>, then reload. The API works meanwhile.</p>
`;

/**
 * The headless host's transport: the renderer build, the contract over
 * `POST /api/invoke/<method>` and over a WebSocket at `/api/ws`. Every request must come
 * from one of our own names (Host/Origin) and carry the per-start token.
 */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const hostname = opts.hostname ?? '127.0.0.1';
  const token = newToken();
  const guard: GuardConfig = { token, port: 0, hostname };
  const bridge = createWsBridge({
    handlers: opts.host.handlers,
    openTerminalChannel: (sendFrame) => opts.host.openTerminalChannel(sendFrame),
    ...(opts.log ? { log: opts.log } : {}),
  });
  const unsubscribe = opts.host.onEvent((event, payload) => bridge.broadcast(event, payload));

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      (opts.log ?? console.error)('flotilla: request failed', error);
      if (!res.headersSent) sendText(res, 500, 'internal error', 'text/plain; charset=utf-8');
      else res.destroy();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://request.invalid');
    const source = checkSource(req.headers, guard);
    if (!source.ok) return sendText(res, source.status, `Forbidden: ${source.reason}\n`, 'text/plain; charset=utf-8');

    // The URL printed by `serve` carries the token once: trade it for a cookie and send the
    // browser to the same page without it, so the token leaves the address bar and history.
    if (req.method === 'GET' && url.searchParams.has('token')) {
      if (!tokenMatches(url.searchParams.get('token') ?? undefined, token)) return sendUnauthorized(res, url);
      url.searchParams.delete('token');
      res.writeHead(302, {
        ...SECURITY_HEADERS,
        Location: url.pathname + url.search,
        'Set-Cookie': authCookie(guard.port, token),
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }

    const verdict = checkRequest(req.headers, guard);
    if (!verdict.ok) return verdict.status === 401 ? sendUnauthorized(res, url) : sendText(res, verdict.status, verdict.reason, 'text/plain; charset=utf-8');

    if (url.pathname.startsWith(INVOKE_PREFIX)) return handleInvoke(req, res, url.pathname.slice(INVOKE_PREFIX.length));
    if (url.pathname === WS_PATH) return sendJson(res, 426, { error: 'this endpoint takes a WebSocket upgrade' });
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return sendJson(res, 404, { error: 'no such endpoint' });
    return handleStatic(req, res, url.pathname);
  }

  async function handleInvoke(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' }, { Allow: 'POST' });
    const body = await readBody(req);
    if (!body.ok) {
      res.on('finish', () => req.destroy());
      return sendJson(res, body.status, { error: body.message }, { Connection: 'close' });
    }
    let input: unknown = undefined;
    if (body.text.trim() !== '') {
      // JSON only: a cross-site HTML form cannot send this content type without a preflight.
      if (!isJsonContentType(req.headers['content-type'])) return sendJson(res, 415, { error: 'send application/json' });
      try {
        input = JSON.parse(body.text) as unknown;
      } catch {
        return sendJson(res, 400, { error: 'the body is not valid JSON' });
      }
    }
    const result = await invokeMethod(opts.host.handlers, method, input, opts.log);
    if (result.ok) return sendJson(res, 200, result.output);
    return sendJson(res, result.status, { error: result.message });
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed\n', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
    const file = await readStaticFile(opts.rendererDir, pathname);
    if (!file.ok) {
      if (pathname === '/' || pathname === '/index.html') return sendText(res, 503, NOT_BUILT_PAGE, 'text/html; charset=utf-8');
      return sendText(res, file.status, `${file.message}\n`, 'text/plain; charset=utf-8');
    }
    const isHtml = file.contentType.startsWith('text/html');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      // index.html names the hashed assets, so it must never be stale; assets may be reused.
      'Cache-Control': isHtml ? 'no-store' : 'private, no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://request.invalid');
    if (url.pathname !== WS_PATH) return rejectUpgrade(socket, 404, 'no such endpoint');
    const verdict = checkRequest(req.headers, guard);
    if (!verdict.ok) return rejectUpgrade(socket, verdict.status, verdict.reason);
    bridge.accept(req, socket, head);
  });

  try {
    await listen(server, opts.port ?? 0, hostname);
  } catch (error) {
    unsubscribe();
    bridge.close();
    throw error;
  }
  guard.port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHostname(hostname)}:${guard.port}/?token=${token}`,
    port: guard.port,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        bridge.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: http.Server, port: number, hostname: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, hostname, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** The name to put in the printed URL: loopback when bound to every interface. */
function urlHostname(hostname: string): string {
  if (hostname === '0.0.0.0') return '127.0.0.1';
  if (hostname === '::') return '[::1]';
  return formatHostname(hostname);
}

type Body = { ok: true; text: string } | { ok: false; status: 413; message: string };

/**
 * Reads the whole body, up to MAX_BODY_BYTES. Past that it stops listening; the caller
 * answers 413 and the connection is closed after the answer (see `handleInvoke`).
 */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      req.pause();
      resolve({ ok: false, status: 413, message: `the body is over ${MAX_BODY_BYTES} bytes` });
    };
    const onEnd = () => resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && /^application\/json\s*(;|$)/i.test(value.trim());
}

function sendUnauthorized(res: ServerResponse, url: URL): void {
  if (url.pathname.startsWith('/api/')) return sendJson(res, 401, { error: 'missing or wrong token' });
  sendText(res, 401, UNAUTHORIZED_PAGE, 'text/html; charset=utf-8');
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
}

function sendText(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Type': contentType,
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
  });
  res.end(bytes);
}

function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
