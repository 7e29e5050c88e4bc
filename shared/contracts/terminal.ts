import { z } from 'zod';
import { resultOf } from './result.js';

/**
 * The terminal part of the contract: methods and events (JSON, spread into `methods` / `events`
 * of shared/contract.ts), and the binary frames that carry terminal bytes, which never go
 * through JSON.
 *
 * How a client shows a terminal:
 * 1. `terminal.open` (or `terminal.list` to find existing ones) → sessionId;
 * 2. `terminal.attach` → the current screen (`snapshot`) and size: write the snapshot to a fresh
 *    xterm of that size;
 * 3. send a `ready` frame: only then does the host stream `output` frames, starting exactly
 *    after the snapshot (the reply and the frames may travel on different channels);
 * 4. ack every `output` frame from xterm's write callback with its `data.length` (an `ack`
 *    frame, or one ack per several frames): without acks the host pauses the pty;
 * 5. keystrokes go as `input` frames (or `terminal.write`).
 */

/** Sessions are UUIDs: binary frames carry them as 16 bytes. */
export const SessionIdSchema = z.uuid();
const SessionRef = z.object({ sessionId: SessionIdSchema });
/** 1..1000 cells: beyond it a size is a bug, and xterm would allocate it. */
const Cols = z.number().int().min(1).max(1_000);
const Rows = z.number().int().min(1).max(1_000);

/**
 * What a user can open (`terminal.open`):
 * `sandboxed`: a shell inside the task's sandbox (same rules as the agent's commands).
 * `unsandboxed`: the user's own shell in the worktree, with no sandbox; the UI marks it clearly.
 */
export const ShellKindSchema = z.enum(['sandboxed', 'unsandboxed']);
export type ShellKind = z.infer<typeof ShellKindSchema>;

/**
 * A task's terminal: one of its shells, or `agent`: its Agent terminal, which the host makes on
 * the agent's first command and which shows every command of every turn, live, on its own pty
 * (keystrokes go to the command running, to answer a prompt). It cannot be opened or closed.
 */
export const TerminalKindSchema = z.enum(['agent', 'sandboxed', 'unsandboxed']);
export type TerminalKind = z.infer<typeof TerminalKindSchema>;

export const TerminalInfoSchema = z.object({
  sessionId: SessionIdSchema,
  taskId: z.string(),
  kind: TerminalKindSchema,
  cols: Cols,
  rows: Rows,
  /** A shell: its program runs. The Agent terminal: a command runs in it now. */
  isRunning: z.boolean(),
  /** null while running, or when the end is unknown (the pty host crashed). */
  exitCode: z.number().int().nullable(),
});
export type TerminalInfo = z.infer<typeof TerminalInfoSchema>;

export const terminalMethods = {
  'terminal.open': {
    input: z.object({ taskId: z.string().min(1), kind: ShellKindSchema.default('sandboxed'), cols: Cols, rows: Rows }),
    /** `snapshot` is the screen at open (usually empty); attach to receive output. */
    output: resultOf({ sessionId: SessionIdSchema, snapshot: z.string() }),
  },
  /** The task's terminals; its Agent terminal (once it exists) first. */
  'terminal.list': {
    input: z.object({ taskId: z.string().min(1) }),
    output: resultOf({ terminals: z.array(TerminalInfoSchema) }),
  },
  'terminal.write': {
    // 1 M chars: a big paste; anything larger is not typing.
    input: SessionRef.extend({ data: z.string().min(1).max(1_000_000) }),
    output: resultOf({}),
  },
  'terminal.resize': { input: SessionRef.extend({ cols: Cols, rows: Rows }), output: resultOf({}) },
  /** Kills the terminal's processes and forgets it (not the Agent terminal: it lives as long as its task's worktree). */
  'terminal.close': { input: SessionRef, output: resultOf({}) },
  'terminal.attach': {
    input: SessionRef,
    output: resultOf({ snapshot: z.string(), cols: Cols, rows: Rows }),
  },
} as const;

export const terminalEvents = {
  'terminal.onDidExit': z.object({
    sessionId: SessionIdSchema,
    /** null when unknown (the pty host crashed, see `reason`). */
    exitCode: z.number().int().nullable(),
    /** Why it ended when it was not the program's own doing, e.g. "pty host crashed (…)"; else null. */
    reason: z.string().nullable(),
  }),
} as const;

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
