import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PtyHostCore } from './ptyHostCore.js';
import { forkPtyHost, type PtyHostConnection } from './ptyHostProcess.js';
import { BATCH_MAX_CHARS, FLOW_HIGH_WATERMARK_CHARS, type PtyHostToHost } from './ptyHostProtocol.js';
import { isAlive, seqThroughPty, sleep, tempDir, testEnv, waitFor } from './testTerminals.js';

/** One pty in a real pty host process, seen from the host: every message, in order. */
class PtyUnderTest {
  readonly id = randomUUID();
  readonly messages: PtyHostToHost[] = [];
  output = '';
  dataMessages = 0;
  pid = 0;
  exit: { exitCode: number; signal: number } | null = null;
  pauses = 0;
  resumes = 0;
  isPaused = false;

  constructor(private readonly host: PtyHostConnection) {}

  receive(message: PtyHostToHost): void {
    this.messages.push(message);
    if (message.type === 'spawned') this.pid = message.pid;
    if (message.type === 'data') {
      if (this.exit) throw new Error('data after exit');
      this.output += message.data;
      this.dataMessages++;
    }
    if (message.type === 'flow') {
      this.isPaused = message.isPaused;
      if (message.isPaused) this.pauses++;
      else this.resumes++;
    }
    if (message.type === 'exit') this.exit = { exitCode: message.exitCode, signal: message.signal };
  }

  ack(chars: number): void {
    this.host.send({ type: 'ack', id: this.id, chars });
  }

  write(data: string): void {
    this.host.send({ type: 'write', id: this.id, data });
  }
}

let dir: string;
let host: PtyHostConnection;
const ptys = new Map<string, PtyUnderTest>();

function spawn(file: string, args: string[], size = { cols: 80, rows: 24 }): PtyUnderTest {
  const pty = new PtyUnderTest(host);
  ptys.set(pty.id, pty);
  host.send({ type: 'spawn', id: pty.id, file, args, cwd: dir, env: testEnv(), ...size });
  return pty;
}

/** Acks every batch as soon as it arrives, like a viewer that keeps up. */
function ackImmediately(pty: PtyUnderTest): void {
  const receive = pty.receive.bind(pty);
  pty.receive = (message) => {
    receive(message);
    if (message.type === 'data') pty.ack(message.data.length);
  };
}

beforeAll(() => {
  dir = tempDir();
  host = forkPtyHost();
  host.onMessage((message) => ptys.get(message.id)?.receive(message));
});

afterEach(() => {
  for (const pty of ptys.values()) if (!pty.exit) host.send({ type: 'kill', id: pty.id });
  ptys.clear();
});

afterAll(() => {
  host.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('pty host (a real child process with real ptys)', () => {
  it('runs a program in a pty and reports its output, then its exit code', async () => {
    const pty = spawn('sh', ['-c', 'printf "hello\\n"; [ -t 1 ] && echo tty; exit 3']);
    await waitFor('exit', () => pty.exit !== null);
    expect(pty.pid).toBeGreaterThan(1);
    expect(pty.output).toBe('hello\r\ntty\r\n');
    expect(pty.exit).toEqual({ exitCode: 3, signal: 0 });
    expect(pty.messages.at(-1)?.type).toBe('exit');
  });

  it('merges many small writes into few batches', async () => {
    // 200 separate writes about 1 ms apart: read one by one, they would be ~200 messages.
    const script = "let i = 0; const t = setInterval(() => { process.stdout.write('x'); if (++i === 200) clearInterval(t); }, 1);";
    const pty = spawn(process.execPath, ['-e', script]);
    ackImmediately(pty);
    await waitFor('exit', () => pty.exit !== null);
    expect(pty.output).toBe('x'.repeat(200));
    expect(pty.dataMessages).toBeGreaterThan(1);
    expect(pty.dataMessages).toBeLessThan(100);
  });

  it('delivers `seq 1 200000` whole: every byte, in order, up to the last line', async () => {
    const pty = spawn('seq', ['1', '200000']);
    ackImmediately(pty);
    await waitFor('exit', () => pty.exit !== null, 30_000);
    const expected = seqThroughPty(200_000);
    expect(pty.output.length).toBe(expected.length);
    expect(pty.output.endsWith('\r\n199999\r\n200000\r\n')).toBe(true);
    expect(pty.output === expected).toBe(true);
    // Batches stay bounded even for a fast producer.
    for (const message of pty.messages) if (message.type === 'data') expect(message.data.length).toBeLessThanOrEqual(FLOW_HIGH_WATERMARK_CHARS + BATCH_MAX_CHARS);
  });

  it('reports the exit without losing the last output, for many programs that print and exit at once', async () => {
    // The exit is reported once an end marker written after the exit is read back (instead of
    // after node-pty's 200 ms wait): a tail still in the kernel's pty buffer must come first, every time.
    const runs = Array.from({ length: 12 }, (_, i) => ({ n: 5_000 + i * 1_111, pty: spawn('seq', ['1', String(5_000 + i * 1_111)]) }));
    for (const { pty } of runs) ackImmediately(pty);
    await waitFor('every exit', () => runs.every(({ pty }) => pty.exit !== null), 30_000);
    for (const { n, pty } of runs) expect(pty.output === seqThroughPty(n)).toBe(true);
  });

  it('ends the output at the program’s last byte, even when its output ends like the end marker begins', async () => {
    const endings = ['abc\x1b', 'abc\x1b_', 'abc\x1b_FLOTILLA-END-', 'abc\x1b_FLOTILLA-END-0123'];
    const runs = endings.map((ending) => ({ ending, pty: spawn('printf', [ending.replaceAll('\x1b', '\\033')]) }));
    for (const { pty } of runs) ackImmediately(pty);
    await waitFor('every exit', () => runs.every(({ pty }) => pty.exit !== null));
    for (const { ending, pty } of runs) expect(pty.output).toBe(ending);
  });

  it('still ends when a background process keeps the terminal open after the program exits', async () => {
    const pty = spawn('sh', ['-c', 'sleep 1 & echo started; exit 4']);
    ackImmediately(pty);
    await waitFor('exit', () => pty.exit !== null);
    expect(pty.output).toBe('started\r\n');
    expect(pty.exit).toEqual({ exitCode: 4, signal: 0 });
  });

  it('pauses a pty whose consumer does not ack, and resumes it without losing or reordering a byte', async () => {
    // Ten windows of flow control at least (seq prints ~8 chars a line here, \r\n included).
    const n = Math.ceil((10 * FLOW_HIGH_WATERMARK_CHARS) / 7.5);
    const pty = spawn('seq', ['1', String(n)]);
    await waitFor('the first pause', () => pty.isPaused);
    await sleep(300);
    // The producer is blocked on the full pty buffer: nothing more arrives, it has not finished.
    const whilePaused = pty.output.length;
    await sleep(300);
    expect(pty.output.length).toBe(whilePaused);
    expect(pty.exit).toBeNull();
    expect(whilePaused).toBeGreaterThan(FLOW_HIGH_WATERMARK_CHARS);
    expect(whilePaused).toBeLessThan(FLOW_HIGH_WATERMARK_CHARS + 16_384);

    // A slow consumer from now on: it acks only once the pty is paused, 20 ms later, so every
    // window of output ends in a pause, whatever the speed of this machine.
    let acked = 0;
    const ackAllLater = () => {
      const chars = pty.output.length - acked;
      acked += chars;
      setTimeout(() => pty.ack(chars), 20);
    };
    const receive = pty.receive.bind(pty);
    pty.receive = (message) => {
      receive(message);
      if (message.type === 'flow' && message.isPaused) ackAllLater();
    };
    ackAllLater();
    await waitFor('exit', () => pty.exit !== null, 30_000);
    expect(pty.output.length).toBeGreaterThan(10 * FLOW_HIGH_WATERMARK_CHARS);
    expect(pty.pauses).toBeGreaterThanOrEqual(8);
    expect(pty.resumes).toBe(pty.pauses);
    expect(pty.output === seqThroughPty(n)).toBe(true);
  });

  it('keeps the last output of a program that exits while its pty is paused', async () => {
    // Just past the high watermark, then a little more that fits in the pty buffer, then exit:
    // no one acks, so only the exit watch can drain that tail before node-pty closes the pty.
    const pty = spawn('sh', ['-c', `head -c ${FLOW_HIGH_WATERMARK_CHARS + 500} /dev/zero | tr "\\0" x; sleep 0.2; echo END; exit 7`]);
    await waitFor('the first pause', () => pty.isPaused);
    await waitFor('exit', () => pty.exit !== null);
    expect(pty.exit).toEqual({ exitCode: 7, signal: 0 });
    expect(pty.output === `${'x'.repeat(FLOW_HIGH_WATERMARK_CHARS + 500)}END\r\n`).toBe(true);
    expect(pty.resumes).toBe(1);
  });

  it('stops `yes` within a second of Ctrl-C, and the shell answers again', async () => {
    const pty = spawn('sh', ['-i']);
    ackImmediately(pty);
    await waitFor('the prompt', () => pty.output.includes('$ '));
    pty.write('yes\r');
    await waitFor('yes flooding', () => pty.output.length > 200_000);
    const interruptedAt = Date.now();
    pty.write('\x03');
    pty.write('echo done-$((6*7))\r');
    await waitFor('the shell to run the next command', () => pty.output.includes('done-42'), 5_000);
    expect(Date.now() - interruptedAt).toBeLessThan(1_000);
  });

  it('kills the whole process group, background children included', async () => {
    const pty = spawn('sh', ['-c', 'trap "" HUP; sleep 60 & echo "bg=$!"; sleep 60']);
    ackImmediately(pty);
    await waitFor('the background pid', () => /bg=\d+/.test(pty.output));
    const backgroundPid = Number(/bg=(\d+)/.exec(pty.output)?.[1]);
    expect(isAlive(backgroundPid)).toBe(true);
    host.send({ type: 'kill', id: pty.id });
    // The shell ignores the hang-up: the SIGKILL after the grace period ends it.
    await waitFor('exit', () => pty.exit !== null);
    await waitFor('the background sleep to die', () => !isAlive(backgroundPid));
  });

  it('resizes the pty', async () => {
    const pty = spawn('sh', ['-i'], { cols: 80, rows: 24 });
    ackImmediately(pty);
    await waitFor('the prompt', () => pty.output.includes('$ '));
    // The pty host handles messages in order: the size is set before `stty` is typed.
    host.send({ type: 'resize', id: pty.id, cols: 132, rows: 43 });
    pty.write('stty size\r');
    await waitFor('stty', () => pty.output.includes('43 132'));
  });

  it('reports a second spawn with a live id as failed, and ignores messages for unknown ptys', async () => {
    const pty = spawn('sleep', ['5']);
    await waitFor('spawned', () => pty.pid > 0);
    host.send({ type: 'spawn', id: pty.id, file: 'true', args: [], cwd: dir, env: testEnv(), cols: 80, rows: 24 });
    host.send({ type: 'write', id: randomUUID(), data: 'x' });
    await waitFor('the refusal', () => pty.messages.some((m) => m.type === 'spawn_failed'));
  });
});

describe('pty host batching (in-process, with a scripted pty)', () => {
  it('sends one message for a burst of reads, after ~5 ms', async () => {
    const sent: PtyHostToHost[] = [];
    let emitData: (data: string) => void = () => {};
    const fakePty = {
      pid: 999_999_999,
      cols: 80,
      rows: 24,
      process: 'fake',
      handleFlowControl: false,
      onData: (listener: (data: string) => void) => {
        emitData = listener;
        return { dispose: () => {} };
      },
      onExit: () => ({ dispose: () => {} }),
      resize: () => {},
      clear: () => {},
      write: () => {},
      kill: () => {},
      pause: () => {},
      resume: () => {},
    };
    const core = new PtyHostCore({ send: (message) => sent.push(message), spawnPty: () => fakePty });
    core.handle({ type: 'spawn', id: 'p', file: 'x', args: [], cwd: '/', env: {}, cols: 80, rows: 24 });
    const startedAt = performance.now();
    for (let i = 0; i < 1_000; i++) emitData(`${i},`);
    expect(sent.filter((m) => m.type === 'data')).toHaveLength(0);
    await waitFor('the batch', () => sent.some((m) => m.type === 'data'));
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(4);
    const batches = sent.filter((m) => m.type === 'data');
    expect(batches).toHaveLength(1);
    expect(batches[0]?.type === 'data' && batches[0].data).toBe(Array.from({ length: 1_000 }, (_, i) => `${i},`).join(''));
  });
});
