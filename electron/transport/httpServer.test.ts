import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServer } from './httpServer.js';
import type { RunningServer } from './httpServer.js';
import { VERSION } from '../core/host.js';
import { startRealHost, type RealHost } from '../../test/fixtures/realHost.js';

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A raw request: unlike fetch, it sends the path and Host header exactly as given. */
function request(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        headers: { Host: `127.0.0.1:${port}`, ...opts.headers },
        setHost: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Opens a WebSocket; resolves with the socket, or with the HTTP status the upgrade got. */
function connect(port: number, headers: Record<string, string>): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

function nextFrame(ws: WebSocket, predicate: (frame: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (!predicate(frame)) return;
      ws.off('message', onMessage);
      resolve(frame);
    };
    ws.on('message', onMessage);
  });
}

let tmp: string;
let rendererDir: string;
let real: RealHost & { dispose(): Promise<void> };
let server: RunningServer;
let bearer: Record<string, string>;
const sockets: WebSocket[] = [];
const logged: unknown[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-http-'));
  rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Flotilla</title><div id="root"></div>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.css'), 'body{}');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP-SECRET');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  real = await startRealHost();
  server = await startServer({ host: real.host, rendererDir, log: (_m, e) => logged.push(e) });
  bearer = { Authorization: `Bearer ${server.token}` };
});

afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

afterAll(async () => {
  await server.close();
  await real.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('startServer', () => {
  it('prints a loopback URL that carries a fresh 32-byte token', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    const other = await startServer({ host: real.host, rendererDir });
    expect(other.token).not.toBe(server.token);
    await other.close();
  });

  it('refuses every request without the right token (401)', async () => {
    const none = await request(server.port, { path: '/' });
    expect(none.status).toBe(401);
    expect(none.body).toContain('flotilla serve');
    expect((await request(server.port, { path: '/', headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await request(server.port, { path: '/', headers: { Cookie: `flotilla_${server.port}=wrong` } })).status).toBe(401);
    // A right token under another port's cookie name is not ours.
    expect((await request(server.port, { path: '/', headers: { Cookie: `flotilla_1=${server.token}` } })).status).toBe(401);
    const api = await request(server.port, { method: 'POST', path: '/api/invoke/tasks.list', body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(api.status).toBe(401);
    expect((await request(server.port, { path: '/assets/app.js' })).status).toBe(401);
    expect((await request(server.port, { path: '/?token=wrong' })).status).toBe(401);
  });

  it('refuses a WebSocket upgrade without the right token (401)', async () => {
    expect(await connect(server.port, {})).toEqual({ status: 401 });
    expect(await connect(server.port, { Authorization: 'Bearer nope' })).toEqual({ status: 401 });
    expect(await connect(server.port, { Cookie: `flotilla_${server.port}=nope` })).toEqual({ status: 401 });
  });

  it('refuses a foreign Origin (403), over HTTP and WebSocket', async () => {
    const evil = { ...bearer, Origin: 'http://evil.example' };
    expect((await request(server.port, { path: '/', headers: evil })).status).toBe(403);
    expect((await request(server.port, { method: 'POST', path: '/api/invoke/tasks.list', headers: { ...evil, 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(403);
    // Same host, other scheme or port: still another origin.
    expect((await request(server.port, { path: '/', headers: { ...bearer, Origin: `https://127.0.0.1:${server.port}` } })).status).toBe(403);
    expect((await request(server.port, { path: '/', headers: { ...bearer, Origin: 'null' } })).status).toBe(403);
    expect(await connect(server.port, evil)).toEqual({ status: 403 });
    // Our own origin is fine.
    expect((await request(server.port, { path: '/', headers: { ...bearer, Origin: `http://127.0.0.1:${server.port}` } })).status).toBe(200);
  });

  it('refuses a foreign Host header (403): DNS rebinding', async () => {
    expect((await request(server.port, { path: '/', headers: { ...bearer, Host: `evil.example:${server.port}` } })).status).toBe(403);
    expect((await request(server.port, { path: '/', headers: { ...bearer, Host: '127.0.0.1:1' } })).status).toBe(403);
    const ws = await connect(server.port, { ...bearer, Host: `rebind.example:${server.port}` });
    expect(ws).toEqual({ status: 403 });
    for (const name of ['127.0.0.1', 'localhost', '[::1]', 'LOCALHOST']) {
      expect((await request(server.port, { path: '/', headers: { ...bearer, Host: `${name}:${server.port}` } })).status).toBe(200);
    }
  });

  it('trades ?token= for an HttpOnly, SameSite=Strict cookie and redirects without it', async () => {
    const first = await request(server.port, { path: `/?token=${encodeURIComponent(server.token)}` });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(`flotilla_${server.port}=${server.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    const page = await request(server.port, { path: '/', headers: { Cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    // The cookie also opens the WebSocket, as the browser UI does.
    const ws = await connect(server.port, { Cookie: cookie.split(';')[0] ?? '' });
    expect('ws' in ws).toBe(true);
    if ('ws' in ws) sockets.push(ws.ws);
  });

  it('serves assets with their content types', async () => {
    const js = await request(server.port, { path: '/assets/app.js', headers: bearer });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const css = await request(server.port, { path: '/assets/app.css', headers: bearer });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await request(server.port, { path: '/assets/missing.js', headers: bearer })).status).toBe(404);
    expect((await request(server.port, { path: '/assets', headers: bearer })).status).toBe(404);
  });

  it('refuses paths that leave the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', `/${encodeURIComponent(path.join(tmp, 'secret.txt'))}`, '/assets/link.txt', '/%00', '/%E0%A4%A']) {
      const reply = await request(server.port, { path: p, headers: bearer });
      expect(reply.status, p).not.toBe(200);
      expect(reply.body, p).not.toContain('TOP-SECRET');
    }
  });

  it('answers POST /api/invoke/<method> with the handler output', async () => {
    const json = { ...bearer, 'Content-Type': 'application/json' };
    const info = await request(server.port, { method: 'POST', path: '/api/invoke/app.info', headers: json, body: '{}' });
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ version: VERSION, home: real.home });
    // No body means no options.
    const list = await request(server.port, { method: 'POST', path: '/api/invoke/tasks.list', headers: bearer });
    expect(JSON.parse(list.body)).toEqual(JSON.parse(JSON.stringify(await real.host.handlers['tasks.list']({}))));
    // An expected failure is a normal output.
    const missing = await request(server.port, { method: 'POST', path: '/api/invoke/tasks.get', headers: json, body: '{"id":"nope"}' });
    expect(missing.status).toBe(200);
    expect(JSON.parse(missing.body)).toEqual({ ok: false, kind: 'not_found', message: 'no task with id "nope"' });
  });

  it('refuses bad calls: invalid input 400, unknown method 404, wrong verb and type', async () => {
    const json = { ...bearer, 'Content-Type': 'application/json' };
    const invalid = await request(server.port, { method: 'POST', path: '/api/invoke/tasks.create', headers: json, body: '{"repo":"r1","prompt":"   "}' });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toEqual({ error: 'invalid input: prompt: the prompt is empty' });
    const wrongType = await request(server.port, { method: 'POST', path: '/api/invoke/tasks.get', headers: json, body: '{"id":5}' });
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.body).error).toMatch(/^invalid input: id: /);
    expect((await request(server.port, { method: 'POST', path: '/api/invoke/tasks.get', headers: json, body: '{not json' })).status).toBe(400);
    expect((await request(server.port, { method: 'POST', path: '/api/invoke/nope.nope', headers: json, body: '{}' })).status).toBe(404);
    expect((await request(server.port, { method: 'POST', path: '/api/invoke/toString', headers: json, body: '{}' })).status).toBe(404);
    expect((await request(server.port, { method: 'GET', path: '/api/invoke/tasks.list', headers: bearer })).status).toBe(405);
    const form = await request(server.port, { method: 'POST', path: '/api/invoke/tasks.list', headers: { ...bearer, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(form.status).toBe(415);
    const huge = await request(server.port, { method: 'POST', path: '/api/invoke/tasks.list', headers: json, body: 'x'.repeat(5 * 1024 * 1024) }).catch(() => ({ status: 413 }));
    expect(huge.status).toBe(413);
  });

  it('answers a handler that throws with a logged 500: a host whose database is closed', async () => {
    const broken = await startRealHost();
    const brokenLog: unknown[] = [];
    const local = await startServer({ host: broken.host, rendererDir, log: (_m, e) => brokenLog.push(e) });
    try {
      await broken.host.dispose();
      const thrown = await request(local.port, { method: 'POST', path: '/api/invoke/repos.list', headers: { Authorization: `Bearer ${local.token}`, 'Content-Type': 'application/json' }, body: '{}' });
      expect(thrown.status).toBe(500);
      expect(JSON.parse(thrown.body)).toEqual({ error: 'internal error: The database connection is not open' });
      expect(brokenLog.some((e) => e instanceof Error && e.message === 'The database connection is not open')).toBe(true);
    } finally {
      await local.close();
      await broken.dispose();
    }
  });

  it('round-trips an invoke over the WebSocket, and reports refusals as error frames', async () => {
    const opened = await connect(server.port, bearer);
    if (!('ws' in opened)) throw new Error(`upgrade refused: ${opened.status}`);
    const ws = opened.ws;
    sockets.push(ws);
    const result = nextFrame(ws, (f) => f.id === 1);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, method: 'app.info', input: {} }));
    expect(await result).toMatchObject({ type: 'result', id: 1, output: { version: VERSION } });
    const refused = nextFrame(ws, (f) => f.id === 2);
    ws.send(JSON.stringify({ type: 'invoke', id: 2, method: 'tasks.get', input: {} }));
    expect(await refused).toEqual({ type: 'error', id: 2, message: expect.stringMatching(/^invalid input: id: /) });
    const unknown = nextFrame(ws, (f) => f.id === 3);
    ws.send(JSON.stringify({ type: 'invoke', id: 3, method: 'no.such', input: {} }));
    expect(await unknown).toEqual({ type: 'error', id: 3, message: 'unknown method: "no.such"' });
    // A frame that is not a call ends the conversation.
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    expect(await closed).toBe(1008);
  });

  it('broadcasts every host event to every client', async () => {
    const clients: WebSocket[] = [];
    for (let i = 0; i < 2; i++) {
      const opened = await connect(server.port, bearer);
      if (!('ws' in opened)) throw new Error(`upgrade refused: ${opened.status}`);
      clients.push(opened.ws);
      sockets.push(opened.ws);
    }
    // Adding a repo announces the new list to everyone.
    const received = clients.map((ws) => nextFrame(ws, (f) => f.event === 'repos.onDidChange'));
    const repo = await real.addRepo();
    for (const frame of await Promise.all(received)) {
      expect(frame).toMatchObject({ type: 'event', event: 'repos.onDidChange', payload: { repos: expect.arrayContaining([expect.objectContaining({ id: repo.id, path: repo.path })]) } });
    }
    // Events that follow a call arrive too: tasks.create by one client announces the new task to the other.
    const changed = nextFrame(clients[0] as WebSocket, (f) => f.event === 'tasks.onDidChange');
    (clients[1] as WebSocket).send(JSON.stringify({ type: 'invoke', id: 9, method: 'tasks.create', input: { repo: repo.id, prompt: 'hi', start: false } }));
    expect(await changed).toMatchObject({ payload: { task: { status: 'backlog', prompt: 'hi', repoId: repo.id } } });
  });

  it('stops listening and drops clients on close', async () => {
    const local = await startServer({ host: real.host, rendererDir });
    const opened = await connect(local.port, { Authorization: `Bearer ${local.token}` });
    if (!('ws' in opened)) throw new Error('upgrade refused');
    const closed = new Promise((resolve) => opened.ws.once('close', resolve));
    await local.close();
    await closed;
    await expect(request(local.port, { path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
