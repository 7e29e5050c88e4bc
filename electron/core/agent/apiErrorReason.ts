import OpenAI from 'openai';

/** 300 chars: a reason is shown on a task card; the full story is in the journal. */
const MAX_REASON_CHARS = 300;

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by the server',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

/**
 * One line saying why a model call failed, for the task card, e.g.
 * "model API unreachable at http://127.0.0.1:1/v1: connection refused".
 * Never includes the API key: only the SDK's message, status and the base URL.
 */
export function describeApiError(error: unknown, baseURL: string): string {
  const url = redactUrl(baseURL);
  if (error instanceof OpenAI.APIConnectionTimeoutError) return oneLine(`model API at ${url} did not answer in time`);
  if (error instanceof OpenAI.APIConnectionError) {
    const reason = networkReason(error);
    // fetch refuses some ports without trying (1, 6000, ...): say so rather than "bad port".
    const why = reason === 'bad port' ? `port ${portOf(baseURL)} is blocked by fetch (a reserved port); use another port` : reason;
    return oneLine(`model API unreachable at ${url}: ${why}`);
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const detail = apiMessage(error);
    const hint = error.status === 401 ? ' (check OPENAI_API_KEY)' : '';
    return oneLine(`model API error ${error.status} at ${url}${hint}: ${detail}`);
  }
  if (error instanceof OpenAI.APIError) return oneLine(`model API error at ${url}: ${apiMessage(error)}`);
  return oneLine(`model API stream from ${url} broke off: ${networkReason(error)}`);
}

/** The server's own message without the SDK's "500 " prefix. */
function apiMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error;
  if (isRecord(body) && typeof body.message === 'string' && body.message.length > 0) return body.message;
  return error.message.replace(/^\d{3}\s+/, '') || 'no details';
}

/** The most specific cause: a known socket error code, else the innermost message. */
function networkReason(error: unknown): string {
  let innermost = error;
  const queue: unknown[] = [error];
  for (let depth = 0; queue.length > 0 && depth < 10; depth += 1) {
    const current = queue.shift();
    if (!isRecord(current)) continue;
    innermost = current;
    if (typeof current.code === 'string' && NETWORK_CODES[current.code]) return NETWORK_CODES[current.code] ?? current.code;
    if (current.cause !== undefined) queue.push(current.cause);
    if (Array.isArray(current.errors)) queue.push(...current.errors);
  }
  if (innermost instanceof Error) {
    const code = 'code' in innermost && typeof innermost.code === 'string' ? ` (${innermost.code})` : '';
    return `${innermost.message}${code}`;
  }
  return String(innermost);
}

/** A URL may carry credentials (`https://user:key@host`); those never reach a reason. */
function redactUrl(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
    }
    url.search = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return baseURL;
  }
}

function portOf(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return url.port || (url.protocol === 'https:' ? '443' : '80');
  } catch {
    return '?';
  }
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_REASON_CHARS ? `${flat.slice(0, MAX_REASON_CHARS - 1)}…` : flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
