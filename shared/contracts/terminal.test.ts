import { describe, expect, it } from 'vitest';
import { terminalConnectionMethods, terminalEvents, terminalMethods } from './terminal.js';
import { FRAME_HEADER_BYTES, TerminalFrameType, decodeTerminalFrame, encodeTerminalFrame, type TerminalFrame } from './wire.js';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('terminal binary frames', () => {
  it('lays out type, 16 id bytes and the UTF-8 payload', () => {
    const bytes = encodeTerminalFrame({ type: 'output', sessionId: ID, data: 'hé' });
    expect(bytes[0]).toBe(TerminalFrameType.output);
    expect(Array.from(bytes.subarray(1, 17))).toEqual([0x0f, 0x8f, 0xad, 0x5b, 0xd9, 0xcb, 0x46, 0x9f, 0xa1, 0x65, 0x70, 0x86, 0x77, 0x28, 0x95, 0x0e]);
    expect(Array.from(bytes.subarray(FRAME_HEADER_BYTES))).toEqual([0x68, 0xc3, 0xa9]);
  });

  it('round-trips every frame type, with multi-byte text and colours intact', () => {
    const frames: TerminalFrame[] = [
      { type: 'output', sessionId: ID, data: '\x1b[31mrouge\x1b[0m ✓ 𝄞 日本\r\n' },
      { type: 'input', sessionId: ID, data: '\x03ls -la\r' },
      { type: 'output', sessionId: ID, data: '' },
      { type: 'ack', sessionId: ID, chars: 0 },
      { type: 'ack', sessionId: ID, chars: 0xffff_ffff },
      { type: 'ready', sessionId: ID },
    ];
    for (const frame of frames) expect(decodeTerminalFrame(encodeTerminalFrame(frame))).toEqual(frame);
  });

  it('decodes a frame that sits inside a bigger buffer (a Node Buffer from a pool)', () => {
    const frame = encodeTerminalFrame({ type: 'ack', sessionId: ID, chars: 70_000 });
    const pool = new Uint8Array(frame.length + 11);
    pool.set(frame, 5);
    expect(decodeTerminalFrame(pool.subarray(5, 5 + frame.length))).toEqual({ type: 'ack', sessionId: ID, chars: 70_000 });
  });

  it('turns broken UTF-8 from a client into replacement characters, not an error', () => {
    const bytes = encodeTerminalFrame({ type: 'input', sessionId: ID, data: 'ab' });
    const broken = new Uint8Array([...bytes, 0xc3]);
    expect(decodeTerminalFrame(broken)).toEqual({ type: 'input', sessionId: ID, data: 'ab\ufffd' });
  });

  it('rejects malformed frames', () => {
    const ack = encodeTerminalFrame({ type: 'ack', sessionId: ID, chars: 1 });
    expect(decodeTerminalFrame(new Uint8Array(0))).toBeNull();
    expect(decodeTerminalFrame(ack.subarray(0, 16))).toBeNull();
    expect(decodeTerminalFrame(ack.subarray(0, ack.length - 1))).toBeNull();
    expect(decodeTerminalFrame(new Uint8Array([9, ...ack.subarray(1)]))).toBeNull();
    expect(decodeTerminalFrame(new Uint8Array([TerminalFrameType.ready, ...ack.subarray(1)]))).toBeNull();
  });

  it('refuses to encode what the other side could not decode', () => {
    expect(() => encodeTerminalFrame({ type: 'ready', sessionId: 'not-a-uuid' })).toThrow(/not a UUID/);
    expect(() => encodeTerminalFrame({ type: 'ack', sessionId: ID, chars: -1 })).toThrow(RangeError);
    expect(() => encodeTerminalFrame({ type: 'ack', sessionId: ID, chars: 2 ** 32 })).toThrow(RangeError);
    expect(() => encodeTerminalFrame({ type: 'ack', sessionId: ID, chars: 1.5 })).toThrow(RangeError);
  });

  it('carries a 64 KiB batch in one frame without base64 growth', () => {
    const data = 'x'.repeat(65_536);
    const bytes = encodeTerminalFrame({ type: 'output', sessionId: ID, data });
    expect(bytes.length).toBe(FRAME_HEADER_BYTES + 65_536);
  });
});

describe('terminal contract schemas', () => {
  it('defaults a new terminal to the sandbox and bounds its size', () => {
    const input = terminalMethods['terminal.open'].input;
    expect(input.parse({ taskId: 't1', cols: 80, rows: 24 })).toEqual({ taskId: 't1', kind: 'sandboxed', cols: 80, rows: 24 });
    expect(input.safeParse({ taskId: 't1', kind: 'root', cols: 80, rows: 24 }).success).toBe(false);
    // The Agent terminal is the host's to make (on the agent's first command), never the client's.
    expect(input.safeParse({ taskId: 't1', kind: 'agent', cols: 80, rows: 24 }).success).toBe(false);
    expect(input.safeParse({ taskId: 't1', cols: 0, rows: 24 }).success).toBe(false);
    expect(input.safeParse({ taskId: 't1', cols: 80, rows: 100_000 }).success).toBe(false);
  });

  it('only takes UUID session ids (they travel as 16 bytes)', () => {
    expect(terminalConnectionMethods['terminal.attach'].input.safeParse({ sessionId: ID }).success).toBe(true);
    expect(terminalConnectionMethods['terminal.attach'].input.safeParse({ sessionId: '../etc' }).success).toBe(false);
  });

  it('answers with ok results or the contract failures', () => {
    const output = terminalConnectionMethods['terminal.attach'].output;
    expect(output.parse({ ok: true, snapshot: 'x', cols: 80, rows: 24 })).toEqual({ ok: true, snapshot: 'x', cols: 80, rows: 24 });
    expect(output.parse({ ok: false, kind: 'not_found', message: 'gone' })).toEqual({ ok: false, kind: 'not_found', message: 'gone' });
    expect(output.safeParse({ ok: false, kind: 'made_up', message: 'x' }).success).toBe(false);
  });

  it('reports an exit with its code, or null and the reason', () => {
    const event = terminalEvents['terminal.onDidExit'];
    expect(event.parse({ sessionId: ID, exitCode: 0, reason: null })).toEqual({ sessionId: ID, exitCode: 0, reason: null });
    expect(event.parse({ sessionId: ID, exitCode: null, reason: 'pty host crashed (killed by SIGKILL)' }).exitCode).toBeNull();
  });
});
