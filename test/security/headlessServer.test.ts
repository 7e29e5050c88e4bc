import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFlotilla, type FlotillaServer } from '../fixtures/flotillaProcess.js';

/** SECURITY.md promise 12, against a real `flotilla serve`: no token, a foreign Origin or Host → refused. */

let flotilla: FlotillaServer;
let token: string;
let origin: string;

beforeAll(async () => {
  flotilla = await startFlotilla();
  token = new URL(flotilla.url).searchParams.get('token') ?? '';
  origin = flotilla.origin;
});

afterAll(async () => {
  await flotilla?.stop();
});

/** node:http rather than fetch: fetch silently drops a custom Host header. */
function invoke(headers: Record<string, string>): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${origin}/api/invoke/tasks.list`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0 });
      },
    );
    request.once('error', reject);
    request.end('{}');
  });
}

/** Resolves with the HTTP status the server answered the upgrade with (101 when it accepted). */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${origin.replace('http', 'ws')}/api/ws`, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', () => resolve(-1));
  });
}

describe('the headless server', () => {
  it('answers the API only with the token', async () => {
    expect((await invoke({})).status).toBe(401);
    expect((await invoke({ authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await invoke({ authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('serves not even the page without the token', async () => {
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).not.toContain('<script');
  });

  it('refuses a foreign Origin even with the token (a web page cannot drive it)', async () => {
    expect((await invoke({ authorization: `Bearer ${token}`, origin: 'https://evil.example' })).status).toBe(403);
  });

  it('refuses a foreign Host even with the token (DNS rebinding)', async () => {
    const port = new URL(origin).port;
    expect((await invoke({ authorization: `Bearer ${token}`, host: `evil.example:${port}` })).status).toBe(403);
  });

  it('refuses WebSocket upgrades without the token or from a foreign Origin', async () => {
    expect(await upgradeStatus({})).toBe(401);
    expect(await upgradeStatus({ authorization: `Bearer ${token}`, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus({ authorization: `Bearer ${token}` })).toBe(101);
  });

  it('listens on loopback only', () => {
    expect(new URL(origin).hostname).toBe('127.0.0.1');
  });
});
