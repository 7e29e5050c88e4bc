import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeTerminalFrame, encodeTerminalFrame, type TerminalFrame } from '../../../shared/contracts/wire.js';
import { TerminalChannel } from './terminalChannel.js';
import { TerminalService } from './terminalService.js';
import { sleep, tempDir, testEnv, waitFor } from './testTerminals.js';
import { FLOW_HIGH_WATERMARK_CHARS } from './ptyHostProtocol.js';

let dir: string;
let service: TerminalService;

beforeAll(() => {
  dir = tempDir();
  service = new TerminalService();
});

afterEach(() => {
  for (const session of service.list()) service.close(session.sessionId);
});

afterAll(() => {
  service.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A client connection: frames sent to it, decoded. */
function newClient() {
  const received: TerminalFrame[] = [];
  const channel = new TerminalChannel({ service, sendFrame: (bytes) => received.push(decodeTerminalFrame(bytes) ?? { type: 'ready', sessionId: 'malformed' }) });
  const output = (sessionId: string) =>
    received
      .filter((f): f is Extract<TerminalFrame, { type: 'output' }> => f.type === 'output' && f.sessionId === sessionId)
      .map((f) => f.data)
      .join('');
  const send = (frame: TerminalFrame) => channel.handleFrame(encodeTerminalFrame(frame));
  return { channel, received, output, send };
}

async function openShell(): Promise<string> {
  const result = await service.open({ cwd: dir, argv: ['sh', '-i'], env: testEnv(), cols: 80, rows: 24 });
  if (!result.ok) throw new Error(result.message);
  return result.session.sessionId;
}

describe('TerminalChannel', () => {
  it('holds output until the client is ready, then streams frames and takes keystrokes as frames', async () => {
    const sessionId = await openShell();
    let screen = '';
    // Once the prompt is on screen, it must come with the snapshot, not as a frame.
    while (!screen.includes('$ ')) {
      const snapshot = await service.snapshot(sessionId);
      screen = snapshot.ok ? snapshot.snapshot : '';
      await sleep(20);
    }
    const client = newClient();
    const attached = await client.channel.attach(sessionId);
    expect(attached).toMatchObject({ ok: true, cols: 80, rows: 24 });
    expect(attached.ok && attached.snapshot).toContain('$ ');

    client.send({ type: 'input', sessionId, data: 'echo one-$((0+1))\r' });
    await sleep(300);
    expect(client.received).toEqual([]);

    client.send({ type: 'ready', sessionId });
    await waitFor('the held output', () => client.output(sessionId).includes('one-1'));
    client.send({ type: 'input', sessionId, data: 'echo two-$((1+1))\r' });
    await waitFor('live output', () => client.output(sessionId).includes('two-2'));
    client.channel.dispose();
  });

  it('pauses the pty until the client acks, and releases it when the connection goes away', async () => {
    // ~4.7 M chars: several flow-control windows.
    const result = await service.open({ cwd: dir, argv: ['seq', '1', '600000'], env: testEnv(), cols: 80, rows: 24 });
    if (!result.ok) throw new Error(result.message);
    const { sessionId } = result.session;
    const client = newClient();
    await client.channel.attach(sessionId);
    client.send({ type: 'ready', sessionId });
    await sleep(500);
    const held = client.output(sessionId).length;
    expect(held).toBeLessThan(FLOW_HIGH_WATERMARK_CHARS + 100_000);
    client.send({ type: 'ack', sessionId, chars: held });
    await waitFor('more output after the ack', () => client.output(sessionId).length > held);

    client.channel.dispose();
    await waitFor('the program to finish once nobody holds it', () => service.get(sessionId)?.exit !== null, 30_000);
  });

  it('ignores frames for sessions it did not attach, and garbage', async () => {
    const sessionId = await openShell();
    const client = newClient();
    client.send({ type: 'input', sessionId, data: 'exit 9\r' });
    client.channel.handleFrame(new Uint8Array([1, 2, 3]));
    client.send({ type: 'ready', sessionId: randomUUID() });
    await sleep(300);
    expect(service.get(sessionId)?.exit).toBeNull();
    expect(await client.channel.attach(randomUUID())).toMatchObject({ ok: false, kind: 'not_found' });
  });
});
