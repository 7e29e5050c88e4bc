import { describe, expect, it } from 'vitest';
import { bytesOf, parseJson, readInvokeFrame, readServerFrame, writeFrame, type InvokeFrame, type ServerFrame } from './wire.js';

describe('WebSocket text frames', () => {
  it('round-trips every frame through writeFrame and the readers', () => {
    const invoke: InvokeFrame = { type: 'invoke', id: 7, method: 'tasks.get', input: { id: 't1' } };
    expect(readInvokeFrame(writeFrame(invoke))).toEqual(invoke);
    const frames: ServerFrame[] = [
      { type: 'result', id: 7, output: { ok: true } },
      { type: 'error', id: 8, message: 'invalid input: id: expected string' },
      { type: 'event', event: 'tasks.onDidChange', payload: { task: {} } },
    ];
    for (const frame of frames) expect(readServerFrame(writeFrame(frame))).toEqual(frame);
  });

  it('refuses client frames that are not a call the host can answer', () => {
    for (const text of [
      'not json',
      'null',
      '[]',
      '{"type":"result","id":1}',
      '{"type":"invoke","id":-1,"method":"tasks.list"}',
      '{"type":"invoke","id":1.5,"method":"tasks.list"}',
      '{"type":"invoke","id":"1","method":"tasks.list"}',
      '{"type":"invoke","id":1,"method":42}',
    ]) {
      expect(readInvokeFrame(text), text).toBeNull();
    }
    // No input at all is a call with no options.
    expect(readInvokeFrame('{"type":"invoke","id":0,"method":"tasks.list"}')).toEqual({ type: 'invoke', id: 0, method: 'tasks.list', input: undefined });
  });

  it('checks the shape of host frames only, and names an error that came without a message', () => {
    expect(readServerFrame('{"type":"error","id":3}')).toEqual({ type: 'error', id: 3, message: 'the Flotilla host reported an error' });
    // Unknown event names pass here: the client decides what it listens to.
    expect(readServerFrame('{"type":"event","event":"no.such.event"}')).toEqual({ type: 'event', event: 'no.such.event', payload: undefined });
    for (const text of ['not json', '42', '{"type":"result"}', '{"type":"event","event":1}', '{"type":"invoke","id":1,"method":"x"}']) {
      expect(readServerFrame(text), text).toBeNull();
    }
  });

  it('parses JSON or answers undefined', () => {
    expect(parseJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseJson('{')).toBeUndefined();
  });
});

describe('bytesOf', () => {
  it('takes an ArrayBuffer or any view of one, sharing its memory', () => {
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
    expect(Array.from(bytesOf(buffer) ?? [])).toEqual([1, 2, 3, 4]);
    const view = bytesOf(new DataView(buffer, 1, 2));
    expect(Array.from(view ?? [])).toEqual([2, 3]);
    expect(view?.buffer).toBe(buffer);
  });

  it('answers null for anything else', () => {
    for (const data of ['text', 42, null, undefined, [1, 2]]) expect(bytesOf(data)).toBeNull();
  });
});
