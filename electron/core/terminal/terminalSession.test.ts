import xtermHeadless from '@xterm/headless';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HeadlessMirror } from './headlessMirror.js';
import { MirrorWorker } from './mirrorWorkerClient.js';
import type { CreateScreenMirror } from './screenMirror.js';
import { TerminalSession, type ViewerAttachment } from './terminalSession.js';
import { waitFor } from './testTerminals.js';

const { Terminal } = xtermHeadless;

const worker = new MirrorWorker();
// Started before the tests, so its start-up (~100 ms) does not hide the race the tests look for.
beforeAll(() => worker.create({ cols: 80, rows: 24, scrollback: 10 }).dispose());
afterAll(() => worker.dispose());

const mirrors: [string, CreateScreenMirror][] = [
  ['in the mirror worker', (options) => worker.create(options)],
  ['on this thread', (options) => new HeadlessMirror(options)],
];
let createMirror: CreateScreenMirror = (options) => worker.create(options);

/** A session fed by hand (no pty): what matters here is the order of chunks, parses and acks. */
function newSession(mirrorMaxLagChars = 1_000_000) {
  let acked = 0;
  const session = new TerminalSession({
    sessionId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    pid: 1,
    cwd: '/',
    argv: ['x'],
    cols: 80,
    rows: 24,
    scrollback: 10_000,
    mirrorMaxLagChars,
    createMirror,
    sendAck: (chars) => (acked += chars),
  });
  return { session, acked: () => acked };
}

/** Lines `from..to`, as a program prints them through a pty. */
function lines(from: number, to: number): string {
  let text = '';
  for (let i = from; i <= to; i++) text += `line ${i}\r\n`;
  return text;
}

function attach(session: TerminalSession, onData: (chunk: string) => void = () => {}): Promise<ViewerAttachment> {
  return new Promise((resolve, reject) =>
    session.attach({ onData, onExit: () => {} }, (attachment) => (attachment ? resolve(attachment) : reject(new Error('closed')))),
  );
}

describe.each(mirrors)('TerminalSession, mirror %s', (_where, create) => {
  beforeEach(() => {
    createMirror = create;
  });

  it('joins the snapshot and the stream exactly, even when attached while the mirror is far behind', async () => {
    const { session } = newSession();
    // ~1.2 MB queued at once: the mirror needs tens of milliseconds to parse it.
    for (let i = 0; i < 20; i++) session.handleData(lines(i * 1_000 + 1, (i + 1) * 1_000));
    let streamed = '';
    let isAttached = false;
    const attaching = attach(session, (chunk) => (streamed += chunk)).then((attachment) => {
      isAttached = true;
      return attachment;
    });
    // Chunks keep coming while the snapshot is taken and travels back: each must show up
    // exactly once, in the snapshot or in the stream.
    let next = 20_001;
    // Bounded: this test has no flow control to keep the backlog small.
    while (!isAttached && next < 200_000) {
      session.handleData(lines(next, next + 99));
      next += 100;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const attachment = await attaching;
    session.handleData(lines(next, next + 999));
    const last = next + 999;

    const viewer = new Terminal({ cols: 80, rows: 24, scrollback: 30_000, allowProposedApi: true });
    await new Promise<void>((resolve) => viewer.write(attachment.snapshot + streamed, resolve));
    const buffer = viewer.buffer.active;
    const text: string[] = [];
    for (let i = 0; i < buffer.length; i++) text.push(buffer.getLine(i)?.translateToString(true) ?? '');
    const numbers = text.filter(Boolean).map((line) => Number(line.slice('line '.length)));
    expect(numbers.at(-1)).toBe(last);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => last - numbers.length + 1 + i));
    // The mirror keeps 10 000 lines of scrollback plus the screen; a viewer gets all of them.
    expect(numbers.length).toBeGreaterThanOrEqual(10_000);
  });

  it('acks what the mirror has parsed when nobody watches', async () => {
    const { session, acked } = newSession();
    const chunk = lines(1, 500);
    session.handleData(chunk);
    session.handleData(chunk);
    expect(acked()).toBe(0);
    await waitFor('the mirror to parse', () => acked() === chunk.length * 2);
  });

  it('acks no further than the slowest viewer', async () => {
    const { session, acked } = newSession();
    const fast = await attach(session);
    const slow = await attach(session);
    const chunk = 'x'.repeat(1_000);
    for (let i = 0; i < 10; i++) session.handleData(chunk);
    fast.ack(10_000);
    slow.ack(3_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(acked()).toBe(3_000);
    slow.ack(5_000);
    expect(acked()).toBe(8_000);
    // Acks beyond what was sent are a viewer bug: capped, never forwarded.
    slow.ack(1_000_000);
    expect(acked()).toBe(10_000);
    // A viewer that goes away stops holding the pty.
    const lagging = await attach(session);
    session.handleData(chunk);
    fast.ack(1_000);
    slow.ack(1_000);
    expect(acked()).toBe(10_000);
    lagging.detach();
    expect(acked()).toBe(11_000);
  });

  it('lets a viewer run ahead of a busy mirror by the allowed lag, no further', async () => {
    const { session, acked } = newSession(50_000);
    const viewer = await attach(session);
    const chunk = 'y'.repeat(40_000);
    for (let i = 0; i < 10; i++) session.handleData(chunk);
    viewer.ack(400_000);
    // Synchronously, the mirror has parsed nothing yet: only the allowed lag is acked.
    expect(acked()).toBe(50_000);
    await waitFor('the mirror to catch up', () => acked() === 400_000);
  });

  it('answers a snapshot request pending at close, and refuses to attach afterwards', async () => {
    const { session } = newSession();
    session.handleData(lines(1, 10_000));
    const pending = new Promise<string>((resolve) => session.snapshot(resolve));
    session.close();
    expect(await pending).toBe('');
    await expect(attach(session)).rejects.toThrow('closed');
  });
});
