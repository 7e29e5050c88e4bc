/**
 * The wire protocol: how contract calls, events and terminal bytes travel between the host and a
 * client, whatever the transport. Every transport takes its frames and names from here: the
 * WebSocket server (electron/server/wsBridge.ts) and its two clients (shared/contracts/
 * socketClient.ts under the renderer and the CLI), Electron IPC (electron/main/ipcBridge.ts) and
 * the MessagePort for terminal bytes. The sandboxed preload cannot import it (no local requires)
 * and keeps a copy of the names; electron/preload/preload.test.ts fails when the two drift.
 *
 * - WebSocket text frames: JSON; `invoke` from the client, `result` / `error` / `event` from the host.
 * - Electron IPC: the channel names, and the reply the preload turns into a promise.
 * - Binary frames (a WebSocket binary message, a MessagePort message): terminal bytes, never JSON.
 */

// ---------------------------------------------------------------------------------------------
// WebSocket text frames (JSON)
// ---------------------------------------------------------------------------------------------

/** Client → host: one contract call. The host answers with a `result` or `error` frame of the same id. */
export interface InvokeFrame {
  type: 'invoke';
  id: number;
  method: string;
  input: unknown;
}

/**
 * Host → client. `error`: the call itself was refused or broke (unknown method, bad input, a bug
 * in the host); an expected failure (`{ ok: false, kind }`) is an ordinary `result`.
 */
export type ServerFrame =
  | { type: 'result'; id: number; output: unknown }
  | { type: 'error'; id: number; message: string }
  | { type: 'event'; event: string; payload: unknown };

/** What an `error` frame without a message says. */
const UNSPECIFIED_ERROR = 'the Flotilla host reported an error';

export function writeFrame(frame: InvokeFrame | ServerFrame): string {
  return JSON.stringify(frame);
}

/** A client's frame, or null for anything else (clients are untrusted: the host closes on null). */
export function readInvokeFrame(text: string): InvokeFrame | null {
  const frame = parseJson(text);
  if (!isRecord(frame) || frame.type !== 'invoke') return null;
  const { id, method, input } = frame;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || typeof method !== 'string') return null;
  return { type: 'invoke', id, method, input };
}

/** The host's frame, its shape only: outputs and payloads are parsed against the contract later. */
export function readServerFrame(text: string): ServerFrame | null {
  const frame = parseJson(text);
  if (!isRecord(frame)) return null;
  switch (frame.type) {
    case 'result':
      return typeof frame.id === 'number' ? { type: 'result', id: frame.id, output: frame.output } : null;
    case 'error':
      return typeof frame.id === 'number'
        ? { type: 'error', id: frame.id, message: typeof frame.message === 'string' ? frame.message : UNSPECIFIED_ERROR }
        : null;
    case 'event':
      return typeof frame.event === 'string' ? { type: 'event', event: frame.event, payload: frame.payload } : null;
    default:
      return null;
  }
}

/** JSON.parse that answers undefined for text that is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Electron IPC (main ↔ preload ↔ page)
// ---------------------------------------------------------------------------------------------

/** `ipcRenderer.invoke(INVOKE_CHANNEL, method, input)` → InvokeReply. */
export const INVOKE_CHANNEL = 'flotilla:invoke';
/** main → preload: `(name, payload)` of one contract event. */
export const EVENT_CHANNEL = 'flotilla:event';
/**
 * main → preload: the MessagePort for terminal bytes, on every load of the page. The preload
 * cannot pass a port through contextBridge, so it posts it to the page as a window message with
 * this same string as its data.
 */
export const TERMINAL_PORT_CHANNEL = 'flotilla:terminal-port';

/** What the preload receives for an invoke; it turns `ok: false` into a rejected promise with `message`. */
export type InvokeReply = { ok: true; output: unknown } | { ok: false; message: string };

/** A MessagePort message as bytes, whichever view type the sender used; null for anything else. */
export function bytesOf(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Binary frames (one WebSocket binary message / one MessagePort message each):
//
//   byte 0       frame type (TerminalFrameType)
//   bytes 1..16  session id: the UUID's 16 bytes, in the order it is written
//   bytes 17..   payload:
//                  output, input: the text, UTF-8
//                  ack:           uint32 big-endian, chars (UTF-16 code units, i.e. JS
//                                 string length) of output consumed since the last ack
//                  ready:         empty
// ---------------------------------------------------------------------------------------------

export const TerminalFrameType = {
  /** host → client: pty output, in order. */
  output: 1,
  /** client → host: keystrokes or a paste. */
  input: 2,
  /** client → host: output consumed (written to xterm, its write callback called). */
  ack: 3,
  /** client → host: the attach snapshot is applied; start sending output. */
  ready: 4,
} as const;

export type TerminalFrame =
  | { type: 'output'; sessionId: string; data: string }
  | { type: 'input'; sessionId: string; data: string }
  | { type: 'ack'; sessionId: string; chars: number }
  | { type: 'ready'; sessionId: string };

export const FRAME_HEADER_BYTES = 17;
/** The largest ack a frame can carry (uint32). */
export const MAX_ACK_CHARS = 0xffff_ffff;

const TYPE_NAMES: Record<number, TerminalFrame['type']> = { 1: 'output', 2: 'input', 3: 'ack', 4: 'ready' };
// shared/ compiles without DOM or Node types, yet every runtime it runs in (browsers, Node,
// Electron) has the WHATWG encoders: declare the little we use, for this module only.
declare class TextEncoder {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const encoder = new TextEncoder();
// Not fatal: input from a client with broken UTF-8 becomes U+FFFD rather than an error.
const decoder = new TextDecoder('utf-8');

/** Encodes a frame. Throws on a session id that is not a UUID or an ack out of range (caller bugs). */
export function encodeTerminalFrame(frame: TerminalFrame): Uint8Array {
  if (frame.type === 'output' || frame.type === 'input') {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit: encode once, in place, then trim.
    const bytes = new Uint8Array(FRAME_HEADER_BYTES + frame.data.length * 3);
    writeHeader(bytes, TerminalFrameType[frame.type], frame.sessionId);
    const { written } = encoder.encodeInto(frame.data, bytes.subarray(FRAME_HEADER_BYTES));
    return bytes.subarray(0, FRAME_HEADER_BYTES + written);
  }
  if (frame.type === 'ack') {
    if (!Number.isInteger(frame.chars) || frame.chars < 0 || frame.chars > MAX_ACK_CHARS) throw new RangeError(`bad ack ${frame.chars}`);
    const bytes = new Uint8Array(FRAME_HEADER_BYTES + 4);
    writeHeader(bytes, TerminalFrameType.ack, frame.sessionId);
    new DataView(bytes.buffer).setUint32(FRAME_HEADER_BYTES, frame.chars, false);
    return bytes;
  }
  const bytes = new Uint8Array(FRAME_HEADER_BYTES);
  writeHeader(bytes, TerminalFrameType.ready, frame.sessionId);
  return bytes;
}

/** Decodes a frame; null for anything malformed (frames from clients are untrusted). */
export function decodeTerminalFrame(bytes: Uint8Array): TerminalFrame | null {
  if (bytes.length < FRAME_HEADER_BYTES) return null;
  const type = TYPE_NAMES[bytes[0] ?? 0];
  if (!type) return null;
  const sessionId = uuidFromBytes(bytes.subarray(1, FRAME_HEADER_BYTES));
  const payload = bytes.subarray(FRAME_HEADER_BYTES);
  switch (type) {
    case 'output':
    case 'input':
      return { type, sessionId, data: decoder.decode(payload) };
    case 'ack':
      if (payload.length !== 4) return null;
      return { type, sessionId, chars: new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, false) };
    case 'ready':
      return payload.length === 0 ? { type, sessionId } : null;
  }
}

function writeHeader(bytes: Uint8Array, type: number, sessionId: string): void {
  if (!UUID_PATTERN.test(sessionId)) throw new TypeError(`session id ${sessionId} is not a UUID`);
  bytes[0] = type;
  const hex = sessionId.replace(/-/g, '');
  for (let i = 0; i < 16; i++) bytes[1 + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

function uuidFromBytes(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
