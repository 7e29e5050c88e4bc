import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

/** What the server knows about itself when judging a request. */
export interface GuardConfig {
  token: string;
  port: number;
  /** The address the server is bound to, e.g. `127.0.0.1`, `::1`, `localhost`, `0.0.0.0`. */
  hostname: string;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** A fresh secret per server start: 32 random bytes, URL- and cookie-safe. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * Cookies ignore ports, so two hosts on one machine (say `serve` and a test) would overwrite
 * each other's cookie under one name; the port in the name keeps them apart.
 */
export function cookieName(port: number): string {
  return `flotilla_${port}`;
}

export function authCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Constant-time comparison, so the time of a refusal says nothing about the token. */
export function tokenMatches(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false;
  const a = crypto.createHash('sha256').update(candidate).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * Judges one HTTP request or WebSocket upgrade: first where it comes from (`checkSource`),
 * then whether it carries the token (bearer or cookie).
 */
export function checkRequest(headers: IncomingHttpHeaders, config: GuardConfig): GuardVerdict {
  const source = checkSource(headers, config);
  if (!source.ok) return source;
  if (!tokenMatches(presentedToken(headers, config.port), config.token)) {
    return { ok: false, status: 401, reason: 'missing or wrong token' };
  }
  return { ok: true };
}

/**
 * Host first (DNS rebinding: a hostile page whose name now resolves to 127.0.0.1 still sends
 * its own name), then Origin (another site's page calling us; absent for the CLI).
 */
export function checkSource(headers: IncomingHttpHeaders, config: GuardConfig): GuardVerdict {
  const host = headers.host?.toLowerCase();
  if (!host || !isAllowedHost(host, config)) {
    return { ok: false, status: 403, reason: 'foreign Host header' };
  }
  const origin = headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return { ok: false, status: 403, reason: 'foreign Origin' };
  }
  return { ok: true };
}

/** The token a request carries: `Authorization: Bearer …` first, else our cookie. */
function presentedToken(headers: IncomingHttpHeaders, port: number): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  return readCookie(headers.cookie, cookieName(port));
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** `host` is the lower-cased Host header, `name:port`. */
function isAllowedHost(host: string, config: GuardConfig): boolean {
  const allowed = new Set(
    ['127.0.0.1', 'localhost', '[::1]', formatHostname(config.hostname.toLowerCase())].map((name) => `${name}:${config.port}`),
  );
  if (allowed.has(host)) return true;
  // Bound to every interface, the UI is reached by this machine's addresses. An address
  // literal cannot be rebound to another site (only names can), so any IP with our port is ours.
  if (isWildcard(config.hostname)) {
    const suffix = `:${config.port}`;
    if (!host.endsWith(suffix)) return false;
    const name = host.slice(0, -suffix.length).replace(/^\[(.*)\]$/, '$1');
    return net.isIP(name) !== 0;
  }
  return false;
}

export function isWildcard(hostname: string): boolean {
  return hostname === '0.0.0.0' || hostname === '::';
}

/** IPv6 addresses go in brackets inside URLs and Host headers. */
export function formatHostname(hostname: string): string {
  return net.isIPv6(hostname) ? `[${hostname}]` : hostname;
}
