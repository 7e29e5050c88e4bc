import { describe, expect, it } from 'vitest';
import { checkRequest, readCookie, tokenMatches } from './requestGuard.js';

const token = 'T0ken-abc_123';
const config = (hostname: string) => ({ token, port: 4321, hostname });
const bearer = { authorization: `Bearer ${token}` };

describe('checkRequest', () => {
  it('accepts loopback names and the bound name, with our port only', () => {
    for (const host of ['127.0.0.1:4321', 'localhost:4321', '[::1]:4321']) {
      expect(checkRequest({ ...bearer, host }, config('127.0.0.1'))).toEqual({ ok: true });
    }
    expect(checkRequest({ ...bearer, host: 'devbox.lan:4321' }, config('devbox.lan'))).toEqual({ ok: true });
    expect(checkRequest({ ...bearer, host: 'devbox.lan:4321' }, config('127.0.0.1'))).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ ...bearer, host: 'localhost:80' }, config('127.0.0.1'))).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ ...bearer }, config('127.0.0.1'))).toMatchObject({ ok: false, status: 403 });
  });

  it('bound to every interface, accepts address literals but never names', () => {
    expect(checkRequest({ ...bearer, host: '192.168.1.20:4321' }, config('0.0.0.0'))).toEqual({ ok: true });
    expect(checkRequest({ ...bearer, host: '[fe80::1]:4321' }, config('::'))).toEqual({ ok: true });
    expect(checkRequest({ ...bearer, host: 'attacker.example:4321' }, config('0.0.0.0'))).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest({ ...bearer, host: '192.168.1.20:80' }, config('0.0.0.0'))).toMatchObject({ ok: false, status: 403 });
  });

  it('wants the Origin, when sent, to be exactly the Host it came to', () => {
    const host = '127.0.0.1:4321';
    expect(checkRequest({ ...bearer, host, origin: 'http://127.0.0.1:4321' }, config('127.0.0.1'))).toEqual({ ok: true });
    expect(checkRequest({ ...bearer, host, origin: 'http://localhost:4321' }, config('127.0.0.1'))).toMatchObject({ status: 403 });
    expect(checkRequest({ ...bearer, host, origin: 'http://127.0.0.1:4321.evil.example' }, config('127.0.0.1'))).toMatchObject({ status: 403 });
  });

  it('takes the token from the bearer header or our cookie, never half of it', () => {
    const host = '127.0.0.1:4321';
    expect(checkRequest({ host, cookie: `a=b; flotilla_4321=${token}; c=d` }, config('127.0.0.1'))).toEqual({ ok: true });
    expect(checkRequest({ host, cookie: `flotilla_4321=${token.slice(0, -1)}` }, config('127.0.0.1'))).toMatchObject({ status: 401 });
    expect(checkRequest({ host, authorization: `Basic ${token}` }, config('127.0.0.1'))).toMatchObject({ status: 401 });
    // A wrong bearer is not rescued by a right cookie: one credential per request.
    expect(checkRequest({ host, authorization: 'Bearer nope', cookie: `flotilla_4321=${token}` }, config('127.0.0.1'))).toMatchObject({ status: 401 });
  });
});

describe('helpers', () => {
  it('compares tokens whole', () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(`${token}x`, token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(undefined, token)).toBe(false);
  });
  it('reads one cookie by exact name', () => {
    expect(readCookie('flotilla_43210=x; flotilla_4321=y', 'flotilla_4321')).toBe('y');
    expect(readCookie(undefined, 'a')).toBeUndefined();
  });
});
