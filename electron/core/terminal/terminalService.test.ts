import fs from 'node:fs';
import xtermHeadless from '@xterm/headless';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PTY_HOST_CRASHED, TerminalService, type Attachment, type TerminalExit } from './terminalService.js';
import { BATCH_MAX_CHARS } from './ptyHostProtocol.js';
import { isAlive, seqThroughPty, sleep, tempDir, testEnv, waitFor } from './testTerminals.js';
import { FLOW_HIGH_WATERMARK_CHARS } from './ptyHostProtocol.js';

const { Terminal } = xtermHeadless;
type HeadlessTerminal = InstanceType<typeof Terminal>;

let dir: string;
let service: TerminalService;
const exits = new Map<string, TerminalExit>();
const journal = new Map<string, string>();

beforeAll(() => {
  dir = tempDir();
});

afterEach(() => {
  service?.dispose();
  exits.clear();
  journal.clear();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function newService(opts: { scrollback?: number | (() => number) } = {}): TerminalService {
  service = new TerminalService({
    ...opts,
    onDidExit: (sessionId, exit) => exits.set(sessionId, exit),
    onOutputForJournal: (sessionId, chunk) => journal.set(sessionId, (journal.get(sessionId) ?? '') + chunk),
  });
  return service;
}

async function open(argv: string[], size = { cols: 80, rows: 24 }): Promise<string> {
  const result = await service.open({ cwd: dir, argv, env: testEnv(), ...size });
  if (!result.ok) throw new Error(result.message);
  return result.session.sessionId;
}

/** A viewer like the renderer's: an xterm fed the snapshot, then every chunk, acking after each parse. */
class XtermViewer {
  readonly term: HeadlessTerminal;
  snapshot = '';
  received = '';
  parsed = 0;
  exit: TerminalExit | null = null;
  attachment: Attachment | null = null;

  constructor(cols: number, rows: number, scrollback = 10_000) {
    this.term = new Terminal({ cols, rows, scrollback, allowProposedApi: true });
  }

  static async attach(sessionId: string, opts: { isAcking?: boolean } = {}): Promise<XtermViewer> {
    let viewer: XtermViewer | null = null;
    const early: string[] = [];
    const result = await service.attach(sessionId, {
      onData: (chunk) => (viewer ? viewer.write(chunk, opts.isAcking ?? true) : early.push(chunk)),
      onExit: (exit) => {
        if (viewer) viewer.exit = exit;
      },
    });
    if (!result.ok) throw new Error(result.message);
    viewer = new XtermViewer(result.cols, result.rows);
    viewer.attachment = result;
    viewer.snapshot = result.snapshot;
    viewer.term.write(result.snapshot);
    for (const chunk of early) viewer.write(chunk, opts.isAcking ?? true);
    return viewer;
  }

  write(chunk: string, isAcking: boolean): void {
    this.received += chunk;
    this.term.write(chunk, () => {
      this.parsed += chunk.length;
      if (isAcking) this.attachment?.ack(chunk.length);
    });
  }

  /** Everything this viewer was given: the snapshot, then the stream. */
  get text(): string {
    return this.snapshot + this.received;
  }

  async settled(): Promise<void> {
    await new Promise<void>((resolve) => this.term.write('', resolve));
  }
}

/** Every line of the buffer (scrollback and screen), right-trimmed. */
function linesOf(term: HeadlessTerminal): string[] {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
  return lines;
}

/** What a user sees: the screen's rows. */
function screenOf(term: HeadlessTerminal): string[] {
  const buffer = term.buffer.active;
  return linesOf(term).slice(buffer.baseY, buffer.baseY + term.rows);
}

async function fromSnapshot(sessionId: string): Promise<HeadlessTerminal> {
  const result = await service.snapshot(sessionId);
  if (!result.ok) throw new Error(result.message);
  const term = new Terminal({ cols: result.cols, rows: result.rows, scrollback: 10_000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(result.snapshot, resolve));
  return term;
}

async function replayed(output: string, cols: number, rows: number): Promise<HeadlessTerminal> {
  const term = new Terminal({ cols, rows, scrollback: 10_000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(output, resolve));
  return term;
}

describe('TerminalService', () => {
  it('delivers `seq 1 200000` whole to a viewer that acks from its write callback', async () => {
    newService();
    // Waits for a line on stdin, so that the viewer is attached before the first byte.
    const sessionId = await open(['sh', '-c', 'read go; seq 1 200000']);
    const viewer = await XtermViewer.attach(sessionId);
    service.write(sessionId, '\r');
    await waitFor('exit', () => viewer.exit !== null, 30_000);
    expect(viewer.exit).toEqual({ exitCode: 0, signal: null, reason: null });
    // The pty echoes the typed newline first.
    expect(viewer.received.length).toBe(2 + seqThroughPty(200_000).length);
    expect(viewer.received.endsWith('199999\r\n200000\r\n')).toBe(true);
    expect(exits.get(sessionId)).toEqual({ exitCode: 0, signal: null, reason: null });
    // The journal hook saw the same stream.
    expect(journal.get(sessionId) === viewer.received).toBe(true);
  });

  it('does not stall a terminal nobody watches: the mirror acks, and keeps the final screen', async () => {
    newService();
    const sessionId = await open(['seq', '1', '200000']);
    await waitFor('exit', () => exits.has(sessionId), 30_000);
    const restored = await fromSnapshot(sessionId);
    expect(screenOf(restored).filter(Boolean).at(-1)).toBe('200000');
    expect(service.get(sessionId)?.exit?.exitCode).toBe(0);
  });

  it('holds the pty while an attached viewer does not ack, and lets it go on detach', async () => {
    newService();
    const sessionId = await open(['seq', '1', '600000']);
    const viewer = await XtermViewer.attach(sessionId, { isAcking: false });
    await sleep(600);
    // One flow-control window in flight at most, far from the 4.7 M chars of the whole output.
    const held = viewer.received.length;
    expect(held).toBeLessThan(FLOW_HIGH_WATERMARK_CHARS + 100_000);
    expect(exits.has(sessionId)).toBe(false);
    viewer.attachment?.detach();
    await waitFor('exit after detach', () => exits.has(sessionId), 30_000);
    expect(viewer.received.length).toBe(held);
  });

  it('keeps the scrollback its setting says at each open (a new value applies to new terminals)', async () => {
    let lines = 100;
    newService({ scrollback: () => lines });
    const small = await open(['seq', '1', '1000']);
    lines = 400;
    const large = await open(['seq', '1', '1000']);
    await waitFor('both exits', () => exits.has(small) && exits.has(large));
    const kept = async (sessionId: string) => {
      const result = await service.snapshot(sessionId);
      if (!result.ok) throw new Error(result.message);
      return result.snapshot.split('\r\n').filter((line) => /^\d+$/.test(line.trim())).length;
    };
    // Scrollback plus the 24 rows of the screen (the last row holds the prompt-less cursor).
    expect(await kept(small)).toBeLessThanOrEqual(100 + 24);
    expect(await kept(small)).toBeGreaterThanOrEqual(100);
    expect(await kept(large)).toBeGreaterThanOrEqual(400);
  });

  it('rebuilds the visible screen from a snapshot: text, colours, cursor and scrollback', async () => {
    newService();
    const script = [
      'seq 1 60',
      'printf "\\033[31mred\\033[0m plain \\033[1;44mbold-on-blue\\033[0m\\n"',
      'printf "tab\\there\\n"',
      'printf "an overwritten line\\rAN"',
      'printf "\\n\\033[2;5Hmoved"',
    ].join('; ');
    const sessionId = await open(['sh', '-c', `${script}; sleep 30`], { cols: 40, rows: 10 });
    await waitFor('the output', () => (journal.get(sessionId) ?? '').includes('moved'));
    const reference = await replayed(journal.get(sessionId) ?? '', 40, 10);
    const restored = await fromSnapshot(sessionId);
    expect(screenOf(restored)).toEqual(screenOf(reference));
    expect(linesOf(restored)).toEqual(linesOf(reference));
    expect(screenOf(restored).join('\n')).toContain('red plain bold-on-blue');
    expect(restored.buffer.active.cursorX).toBe(reference.buffer.active.cursorX);
    expect(restored.buffer.active.cursorY).toBe(reference.buffer.active.cursorY);
    const redRow = linesOf(restored).findIndex((line) => line.startsWith('red plain'));
    const red = restored.buffer.active.getLine(redRow)?.getCell(0);
    expect(red?.isFgPalette() && red.getFgColor()).toBe(1);
    const bold = restored.buffer.active.getLine(redRow)?.getCell(10);
    expect(bold?.isBold()).toBeTruthy();
    expect(bold?.getBgColor()).toBe(4);
  });

  it('attaches mid-flood with no gap and no overlap between snapshot and stream', async () => {
    newService();
    const n = 60_000;
    const sessionId = await open(['sh', '-c', `sleep 0.2; seq 1 ${n}`]);
    const viewers: XtermViewer[] = [];
    for (let i = 0; i < 4; i++) {
      viewers.push(await XtermViewer.attach(sessionId));
      await sleep(40);
    }
    await waitFor('exit', () => exits.has(sessionId), 30_000);
    for (const viewer of viewers) {
      await viewer.settled();
      const numbers = linesOf(viewer.term).filter(Boolean).map(Number);
      expect(numbers.at(-1)).toBe(n);
      // Consecutive to the end: a lost or doubled chunk at the junction would break the run.
      const start = numbers.at(0) ?? 0;
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => start + i));
    }
  });

  it('types into an interactive shell, resizes it, and stops `yes` with Ctrl-C', async () => {
    newService();
    const sessionId = await open(['sh', '-i']);
    const viewer = await XtermViewer.attach(sessionId);
    await waitFor('the prompt', () => viewer.text.includes('$ '));
    expect(service.write(sessionId, 'echo hi-$((40+2))\r')).toEqual({ ok: true });
    await waitFor('the echo', () => viewer.received.includes('hi-42'));
    expect(service.resize(sessionId, 100, 30)).toEqual({ ok: true });
    service.write(sessionId, 'stty size\r');
    await waitFor('the new size', () => viewer.received.includes('30 100'));
    expect(service.get(sessionId)).toMatchObject({ cols: 100, rows: 30 });

    service.write(sessionId, 'yes\r');
    await waitFor('yes flooding', () => viewer.received.length > 300_000);
    const interruptedAt = Date.now();
    service.write(sessionId, '\x03');
    service.write(sessionId, 'echo done-$((6*7))\r');
    await waitFor('the shell after Ctrl-C', () => viewer.received.includes('done-42'), 5_000);
    expect(Date.now() - interruptedAt).toBeLessThan(1_000);
  });

  it('reports sessions of a crashed pty host as exited with the reason, and opens new ones on a new pty host', async () => {
    newService();
    const sessionId = await open(['sh', '-c', 'echo started; sleep 60']);
    const viewer = await XtermViewer.attach(sessionId);
    await waitFor('output', () => (journal.get(sessionId) ?? '').includes('started'));
    const firstPtyHost = service.ptyHostPid;
    const programPid = service.get(sessionId)?.pid ?? 0;
    expect(firstPtyHost).toBeGreaterThan(1);
    process.kill(firstPtyHost ?? 0, 'SIGKILL');

    await waitFor('the crash report', () => exits.has(sessionId));
    expect(exits.get(sessionId)?.reason).toMatch(new RegExp(`^${PTY_HOST_CRASHED} \\(killed by SIGKILL\\)`));
    expect(exits.get(sessionId)?.exitCode).toBeNull();
    expect(viewer.exit?.reason).toMatch(/^pty host crashed/);
    expect(service.write(sessionId, 'x')).toMatchObject({ ok: false, kind: 'invalid_state' });
    // The hung-up pty takes the program with it.
    await waitFor('the orphaned program to die', () => !isAlive(programPid));

    const next = await open(['sh', '-c', 'echo again']);
    await waitFor('exit', () => exits.has(next));
    expect(journal.get(next)).toBe('again\r\n');
    expect(service.ptyHostPid === undefined || service.ptyHostPid !== firstPtyHost).toBe(true);
  });

  it('kills and closes sessions, and refuses what it cannot do', async () => {
    newService();
    const sessionId = await open(['sleep', '60']);
    expect(service.list().map((s) => s.sessionId)).toEqual([sessionId]);
    expect(service.kill(sessionId)).toEqual({ ok: true });
    await waitFor('exit', () => exits.has(sessionId));
    expect(exits.get(sessionId)?.signal).toBe(1); // SIGHUP
    expect(service.write(sessionId, 'x')).toMatchObject({ ok: false, kind: 'invalid_state' });
    expect(service.close(sessionId)).toEqual({ ok: true });
    expect(service.list()).toEqual([]);
    expect(await service.attach(sessionId, { onData: () => {}, onExit: () => {} })).toMatchObject({ ok: false, kind: 'not_found' });

    expect(await service.open({ cwd: `${dir}/missing`, argv: ['sh'], env: testEnv(), cols: 80, rows: 24 })).toMatchObject({ ok: false, kind: 'not_found' });
    expect(await service.open({ cwd: dir, argv: [], env: testEnv(), cols: 80, rows: 24 })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await service.open({ cwd: dir, argv: ['sh'], env: testEnv(), cols: 0, rows: 24 })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await service.open({ sessionId: 'nope', cwd: dir, argv: ['sh'], env: testEnv(), cols: 80, rows: 24 })).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(service.resize(sessionId, 80, 24)).toMatchObject({ ok: false });
  });
});

describe('TerminalService feeds (a terminal showing commands that run on ptys of their own)', () => {
  /** ~6.9 MB through a pty: several flow-control windows. */
  const FLOOD_LINES = 1_000_000;
  /** What may be in flight while nobody acks: one window and the batches around it. */
  const HELD_AT_MOST = FLOW_HIGH_WATERMARK_CHARS + 2 * BATCH_MAX_CHARS;

  /** A consumer like the agent worker: takes everything, acks at once unless told not to. */
  function consumer(opts: { isAcking?: boolean } = {}) {
    const state = { received: '', exit: null as TerminalExit | null, ack: (_chars: number) => {} };
    return {
      state,
      callbacks: {
        onData: (chunk: string) => {
          state.received += chunk;
          if (opts.isAcking ?? true) state.ack(chunk.length);
        },
        onExit: (exit: TerminalExit) => (state.exit = exit),
      },
    };
  }

  async function runIn(feedId: string, argv: string[], reader = consumer()) {
    const started = await service.runInFeed(feedId, { argv, env: testEnv(), cwd: dir }, reader.callbacks);
    if (!started.ok) throw new Error(started.message);
    reader.state.ack = (chars) => started.command.ack(chars);
    return { ...reader.state, handle: started.command, state: reader.state };
  }

  function openFeed(cols = 80, rows = 24): string {
    const opened = service.openFeed({ cols, rows });
    if (!opened.ok) throw new Error(opened.message);
    return opened.session.sessionId;
  }

  it('shows host text and each command’s whole output in order, to viewers and to the command’s consumer', async () => {
    newService();
    const feedId = openFeed();
    const viewer = await XtermViewer.attach(feedId);
    service.writeFeed(feedId, '$ seq\r\n');
    const run = await runIn(feedId, ['seq', '1', '200000']);
    await waitFor('exit', () => run.state.exit !== null, 30_000);
    service.writeFeed(feedId, 'exit 0\r\n');
    expect(run.state.exit).toEqual({ exitCode: 0, signal: null, reason: null });
    expect(run.state.received === seqThroughPty(200_000)).toBe(true);
    await waitFor('the viewer', () => viewer.received.endsWith('exit 0\r\n'));
    expect(viewer.received === `$ seq\r\n${seqThroughPty(200_000)}exit 0\r\n`).toBe(true);
    // The feed lives on: it has no program of its own to end.
    expect(service.get(feedId)).toMatchObject({ pid: 0, exit: null });
  });

  it('holds the command while a viewer of the feed does not ack, and lets it go on detach', async () => {
    newService();
    const feedId = openFeed();
    const viewer = await XtermViewer.attach(feedId, { isAcking: false });
    const run = await runIn(feedId, ['seq', '1', String(FLOOD_LINES)]);
    await sleep(600);
    // One flow-control window in flight at most, far from the whole output.
    expect(run.state.received.length).toBeLessThan(HELD_AT_MOST);
    expect(run.state.exit).toBeNull();
    viewer.attachment?.detach();
    await waitFor('exit after detach', () => run.state.exit !== null, 30_000);
    expect(run.state.received.length).toBe(seqThroughPty(FLOOD_LINES).length);
  });

  it('holds the command while its consumer does not ack', async () => {
    newService();
    const feedId = openFeed();
    const reader = consumer({ isAcking: false });
    const run = await runIn(feedId, ['seq', '1', String(FLOOD_LINES)], reader);
    await sleep(600);
    expect(run.state.received.length).toBeLessThan(HELD_AT_MOST);
    expect(run.state.exit).toBeNull();
    // From now on it acks what it has, as it goes.
    const ackAsItGoes = setInterval(() => run.handle.ack(run.state.received.length), 10);
    await waitFor('exit once acked', () => run.state.exit !== null, 30_000);
    clearInterval(ackAsItGoes);
    expect(run.state.received.length).toBe(seqThroughPty(FLOOD_LINES).length);
  });

  it('sends keystrokes to the running command and resizes it with the feed', async () => {
    newService();
    const feedId = openFeed(80, 24);
    const viewer = await XtermViewer.attach(feedId);
    // Nothing runs: keys go nowhere, and that is not an error.
    expect(service.write(feedId, 'lost\r')).toEqual({ ok: true });
    const run = await runIn(feedId, ['sh', '-c', 'read line; echo "got $line"; stty size']);
    expect(service.resize(feedId, 100, 30)).toEqual({ ok: true });
    expect(service.write(feedId, 'typed\r')).toEqual({ ok: true });
    await waitFor('exit', () => run.state.exit !== null);
    expect(run.state.received).toContain('got typed');
    expect(run.state.received).toContain('30 100');
    expect(run.state.received).not.toContain('lost');
    expect(service.get(feedId)).toMatchObject({ cols: 100, rows: 30 });
    await waitFor('the viewer', () => viewer.received.includes('30 100'));
  });

  it('kills its commands on kill and close; a crashed pty host ends them with the reason', async () => {
    newService();
    const feedId = openFeed();
    const first = await runIn(feedId, ['sleep', '60']);
    expect(service.kill(feedId)).toEqual({ ok: true });
    await waitFor('the kill', () => first.state.exit !== null);
    expect(first.state.exit?.signal).toBe(1); // SIGHUP

    const second = await runIn(feedId, ['sh', '-c', 'echo up; sleep 60']);
    await waitFor('output', () => second.state.received.includes('up'));
    process.kill(service.ptyHostPid ?? 0, 'SIGKILL');
    await waitFor('the crash', () => second.state.exit !== null);
    expect(second.state.exit?.reason).toMatch(/^pty host crashed/);

    const third = await runIn(feedId, ['sleep', '60']);
    expect(service.close(feedId)).toEqual({ ok: true });
    await waitFor('the close', () => third.state.exit !== null);
    expect(service.get(feedId)).toBeNull();
    expect(await service.runInFeed(feedId, { argv: ['true'], env: testEnv(), cwd: dir }, consumer().callbacks)).toMatchObject({ ok: false, kind: 'not_found' });
    expect(service.writeFeed(feedId, 'x')).toMatchObject({ ok: false, kind: 'not_found' });
  });
});
