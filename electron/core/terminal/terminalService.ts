import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { failure, type Failure } from '../../../shared/contract.js';
import { HeadlessMirror } from './headlessMirror.js';
import { MirrorWorker } from './mirrorWorkerClient.js';
import { forkPtyHost, type PtyHostConnection, type StartPtyHost } from './ptyHostProcess.js';
import type { PtyHostToHost } from './ptyHostProtocol.js';
import { DEFAULT_SCROLLBACK_LINES, type CreateScreenMirror } from './screenMirror.js';
import { TerminalFeed, type FeedCommand, type FeedCommandConsumer, type FeedCommandHandle, type OpenFeedOptions, type RunInFeedOptions } from './terminalFeed.js';
import type { TerminalRecorder } from './terminalRecorder.js';
import { TerminalSession, type TerminalExit, type TerminalViewer, type ViewerAttachment } from './terminalSession.js';

export type { TerminalExit, TerminalViewer, ViewerAttachment } from './terminalSession.js';
export type { FeedCommandConsumer, FeedCommandHandle, OpenFeedOptions, RunInFeedOptions } from './terminalFeed.js';

export interface TerminalServiceOptions {
  /** Default: fork out/electron/core/terminal/ptyHost.js with plain Node (Electron passes a utilityProcess starter). */
  startPtyHost?: StartPtyHost;
  /** Lines of scrollback a new session's mirror keeps (default 10_000); a function is asked at each open (a setting). */
  scrollback?: number | (() => number);
  /**
   * Where the headless mirrors parse: 'worker' (default), a worker thread, so a flood never
   * delays the host's main thread; 'main', this thread (simpler, for comparison and debugging).
   */
  mirrorThread?: 'worker' | 'main';
  /**
   * How far (chars) the headless mirror may fall behind the stream while viewers are attached
   * before it holds the pty back too. 1 M chars: ~50 ms of a flood at 20 MB/s, so a viewer never
   * waits for a mirror that is busy with one big batch, yet a mirror that falls behind for good
   * costs at most ~2 MB (plus xterm's own copy) instead of growing without bound.
   */
  mirrorMaxLagChars?: number;
  /**
   * Records every session (output, input, resizes) to its own file, which the journal refers to
   * (see terminalRecorder.ts). Queued in memory and written off the hot path.
   */
  recorder?: TerminalRecorder;
  /** Every output chunk, in order, for the journal (which stores it by reference). Called on the hot path: keep it cheap. */
  onOutputForJournal?: (sessionId: string, chunk: string) => void;
  /** Every input written to a pty, in order, for the journal. */
  onInputForJournal?: (sessionId: string, data: string) => void;
  /** A session's program ended (or the pty host crashed under it). */
  onDidExit?: (sessionId: string, exit: TerminalExit) => void;
  /** The pty host process died; its sessions have been reported as exited. For logs. */
  onDidCrashPtyHost?: (reason: string) => void;
  /** 10 s for the pty host to answer a spawn. */
  spawnTimeoutMs?: number;
}

export interface OpenTerminalOptions {
  /** A UUID (the binary frames carry it as 16 bytes). Default: a new one. */
  sessionId?: string;
  cwd: string;
  /** The program and its arguments, e.g. ['bash', '-l'] or a bwrap command line. */
  argv: string[];
  /** The program's whole environment. TERM defaults to xterm-256color. */
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface TerminalSessionInfo {
  sessionId: string;
  /** 0 for a feed (it has no program of its own). */
  pid: number;
  cwd: string;
  argv: string[];
  cols: number;
  rows: number;
  /** null while the program runs. */
  exit: TerminalExit | null;
}

export type Attachment = ViewerAttachment & { ok: true; cols: number; rows: number };

export const PTY_HOST_CRASHED = 'pty host crashed';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Beyond 1000 × 1000 cells a size is a bug, and xterm would allocate it. */
const MAX_DIMENSION = 1_000;
const DEFAULT_MIRROR_MAX_LAG_CHARS = 1_000_000;
const DEFAULT_SPAWN_TIMEOUT_MS = 10_000;

/** Where a pty's output goes: a session of its own, or a feed (a command shown in it). */
type PtyEndpoint = { kind: 'session'; session: TerminalSession } | { kind: 'feed_command'; command: FeedCommand };

interface PendingSpawn {
  /** Makes the pty's endpoint on 'spawned', before any output can arrive. */
  create: (pid: number) => PtyEndpoint;
  resolve: (result: { ok: true; pid: number } | Failure) => void;
}

/** One running pty host and what lives in it. */
interface PtyHostGeneration {
  connection: PtyHostConnection;
  ptys: Map<string, PtyEndpoint>;
  pendingSpawns: Map<string, PendingSpawn>;
  isDead: boolean;
}

/**
 * Owns every terminal session of the host. The ptys themselves live in the pty host process,
 * started on the first `open` and started again (on the next `open`) after a crash; each session
 * keeps a headless mirror of its screen here so viewers can attach at any time.
 */
export class TerminalService {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly feeds = new Map<string, TerminalFeed>();
  private generation: PtyHostGeneration | null = null;
  private isDisposed = false;
  private readonly mirrorWorker: MirrorWorker | null;
  private readonly createMirror: CreateScreenMirror;

  constructor(private readonly opts: TerminalServiceOptions = {}) {
    if (opts.mirrorThread === 'main') {
      this.mirrorWorker = null;
      this.createMirror = (options) => new HeadlessMirror(options);
    } else {
      const worker = new MirrorWorker();
      this.mirrorWorker = worker;
      this.createMirror = (options) => worker.create(options);
    }
  }

  async open(options: OpenTerminalOptions): Promise<{ ok: true; session: TerminalSessionInfo } | Failure> {
    if (this.isDisposed) return failure('invalid_state', 'the terminal service is shut down');
    const sessionId = options.sessionId ?? randomUUID();
    if (!UUID_PATTERN.test(sessionId)) return failure('invalid_input', `session id ${sessionId} is not a UUID`);
    if (this.sessions.has(sessionId) || this.generation?.pendingSpawns.has(sessionId)) return failure('invalid_input', `session ${sessionId} already exists`);
    if (!options.argv[0]) return failure('invalid_input', 'no program to run');
    const sizeError = checkSize(options.cols, options.rows);
    if (sizeError) return sizeError;
    if (!isDirectory(options.cwd)) return failure('not_found', `${options.cwd} is not a folder`);

    // The session is made on 'spawned' (see handleMessage) so that no output can arrive before it exists.
    const spec = { cwd: options.cwd, argv: [...options.argv], cols: options.cols, rows: options.rows };
    const spawned = await this.spawnPty(sessionId, { ...spec, env: options.env }, (pid, generation) => {
      const session = this.createSession(sessionId, pid, spec, generation);
      this.sessions.set(sessionId, session);
      return { kind: 'session', session };
    });
    if (!spawned.ok) return spawned;
    const session = this.sessions.get(sessionId);
    if (!session) return failure('invalid_state', 'the pty host crashed while starting the terminal');
    return { ok: true, session: infoOf(session) };
  }

  /**
   * Opens a feed: a session with a screen, viewers and acks like any other, but no program of its
   * own. What it shows is written into it (`writeFeed`) and the output of the commands it runs
   * (`runInFeed`), in order; keystrokes go to the newest running command.
   */
  openFeed(options: OpenFeedOptions): { ok: true; session: TerminalSessionInfo } | Failure {
    if (this.isDisposed) return failure('invalid_state', 'the terminal service is shut down');
    const sessionId = options.sessionId ?? randomUUID();
    if (!UUID_PATTERN.test(sessionId)) return failure('invalid_input', `session id ${sessionId} is not a UUID`);
    if (this.sessions.has(sessionId)) return failure('invalid_input', `session ${sessionId} already exists`);
    const sizeError = checkSize(options.cols, options.rows);
    if (sizeError) return sizeError;
    const feed = new TerminalFeed({
      sessionId,
      cols: options.cols,
      rows: options.rows,
      scrollback: this.scrollbackLines(),
      mirrorMaxLagChars: this.opts.mirrorMaxLagChars ?? DEFAULT_MIRROR_MAX_LAG_CHARS,
      createMirror: this.createMirror,
      onOutputForJournal: this.journalOutput,
    });
    this.opts.recorder?.start(sessionId, { cols: options.cols, rows: options.rows, title: 'agent commands' });
    this.feeds.set(sessionId, feed);
    this.sessions.set(sessionId, feed.session);
    return { ok: true, session: infoOf(feed.session) };
  }

  /** Writes the host's own text into a feed (a header, a status line). */
  writeFeed(sessionId: string, text: string): { ok: true } | Failure {
    const feed = this.feeds.get(sessionId);
    if (!feed) return failure('not_found', `no feed ${sessionId}`);
    feed.write(text);
    return { ok: true };
  }

  /**
   * Runs a program on a pty of its own, at the feed's size, in the pty host: its output goes into
   * the feed and to `consumer`, and its pty is held back until both have consumed it.
   */
  async runInFeed(sessionId: string, options: RunInFeedOptions, consumer: FeedCommandConsumer): Promise<{ ok: true; command: FeedCommandHandle } | Failure> {
    if (this.isDisposed) return failure('invalid_state', 'the terminal service is shut down');
    const feed = this.feeds.get(sessionId);
    if (!feed) return failure('not_found', `no feed ${sessionId}`);
    if (!options.argv[0]) return failure('invalid_input', 'no program to run');
    if (!isDirectory(options.cwd)) return failure('not_found', `${options.cwd} is not a folder`);
    const ptyId = randomUUID();
    const made: { command: FeedCommand | null } = { command: null };
    const spawned = await this.spawnPty(
      ptyId,
      { cwd: options.cwd, argv: options.argv, env: options.env, cols: feed.session.cols, rows: feed.session.rows },
      (pid, generation) => {
        made.command = feed.addCommand(ptyId, pid, {
          consumer,
          sendAck: (chars) => {
            if (!generation.isDead) generation.connection.send({ type: 'ack', id: ptyId, chars });
          },
        });
        return { kind: 'feed_command', command: made.command };
      },
    );
    if (!spawned.ok) return spawned;
    const started = made.command;
    if (!started) return failure('invalid_state', 'the pty host crashed while starting the command');
    if (this.feeds.get(sessionId) !== feed) this.killPty(ptyId);
    return {
      ok: true,
      command: {
        pid: started.pid,
        ack: (chars) => started.consumerConsumed(chars),
        kill: () => {
          if (started.isRunning) this.killPty(ptyId);
        },
      },
    };
  }

  list(): TerminalSessionInfo[] {
    return [...this.sessions.values()].map(infoOf);
  }

  get(sessionId: string): TerminalSessionInfo | null {
    const session = this.sessions.get(sessionId);
    return session ? infoOf(session) : null;
  }

  /**
   * Subscribes a viewer: resolves with the current screen once the mirror has caught up, and
   * from then on the viewer gets every chunk after it. The viewer must `ack` the chars it has
   * consumed (xterm's write callback), or the pty is paused; `detach` when it goes away.
   */
  attach(sessionId: string, viewer: TerminalViewer): Promise<Attachment | Failure> {
    const session = this.sessions.get(sessionId);
    if (!session) return Promise.resolve(failure('not_found', `no terminal ${sessionId}`));
    return new Promise((resolve) => {
      session.attach(viewer, (attachment) => {
        if (!attachment) return resolve(failure('not_found', `terminal ${sessionId} was closed`));
        resolve({ ok: true, cols: session.cols, rows: session.rows, ...attachment, snapshot: this.withCursorState(sessionId, attachment.snapshot) });
      });
    });
  }

  /** The current screen and scrollback as a string to write to a fresh terminal of the session's size. */
  snapshot(sessionId: string): Promise<{ ok: true; snapshot: string; cols: number; rows: number } | Failure> {
    const session = this.sessions.get(sessionId);
    if (!session) return Promise.resolve(failure('not_found', `no terminal ${sessionId}`));
    return new Promise((resolve) =>
      session.snapshot((snapshot) => resolve({ ok: true, snapshot: this.withCursorState(sessionId, snapshot), cols: session.cols, rows: session.rows })),
    );
  }

  write(sessionId: string, data: string): { ok: true } | Failure {
    const feed = this.feeds.get(sessionId);
    if (feed) {
      // A prompt of the running command is answered from its feed; with none running, keys go nowhere.
      const target = feed.inputTarget;
      if (!target || data.length === 0) return { ok: true };
      this.journalInput(sessionId, data);
      this.generationOf(target.id)?.connection.send({ type: 'write', id: target.id, data });
      return { ok: true };
    }
    const running = this.running(sessionId);
    if (!running.ok) return running;
    if (data.length === 0) return { ok: true };
    this.journalInput(sessionId, data);
    running.generation.connection.send({ type: 'write', id: sessionId, data });
    return { ok: true };
  }

  resize(sessionId: string, cols: number, rows: number): { ok: true } | Failure {
    const sizeError = checkSize(cols, rows);
    if (sizeError) return sizeError;
    const feed = this.feeds.get(sessionId);
    if (feed) {
      // The screen follows its viewer, and so do the commands drawing on it.
      feed.session.resize(cols, rows);
      this.opts.recorder?.resize(sessionId, cols, rows);
      for (const command of feed.runningCommands) this.generationOf(command.id)?.connection.send({ type: 'resize', id: command.id, cols, rows });
      return { ok: true };
    }
    const running = this.running(sessionId);
    if (!running.ok) return running;
    running.session.resize(cols, rows);
    this.opts.recorder?.resize(sessionId, cols, rows);
    running.generation.connection.send({ type: 'resize', id: sessionId, cols, rows });
    return { ok: true };
  }

  /** Hangs up the session's process group (SIGKILL after a grace period). The exit is reported as usual. */
  kill(sessionId: string): { ok: true } | Failure {
    const session = this.sessions.get(sessionId);
    if (!session) return failure('not_found', `no terminal ${sessionId}`);
    const feed = this.feeds.get(sessionId);
    if (feed) {
      // A feed itself runs nothing: its commands are what there is to kill.
      for (const command of feed.runningCommands) this.killPty(command.id);
      return { ok: true };
    }
    const generation = this.generationOf(sessionId);
    if (!session.exit && generation) generation.connection.send({ type: 'kill', id: sessionId });
    return { ok: true };
  }

  /** Kills the session if it still runs and forgets it: its screen is gone, viewers get nothing more. */
  close(sessionId: string): { ok: true } | Failure {
    const killed = this.kill(sessionId);
    if (!killed.ok) return killed;
    this.feeds.get(sessionId)?.close();
    this.sessions.get(sessionId)?.close();
    void this.opts.recorder?.end(sessionId);
    this.sessions.delete(sessionId);
    this.feeds.delete(sessionId);
    this.generationOf(sessionId)?.ptys.delete(sessionId);
    return { ok: true };
  }

  /** Kills the pty host (and with it every pty) and forgets every session. Safe to call twice. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    const generation = this.generation;
    this.generation = null;
    if (generation) {
      generation.isDead = true;
      for (const pending of generation.pendingSpawns.values()) pending.resolve(failure('invalid_state', 'the terminal service is shut down'));
      generation.connection.kill();
    }
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
    this.feeds.clear();
    this.mirrorWorker?.dispose();
  }

  /** The pty host's pid, or undefined while none runs (for diagnostics, benchmarks and tests). */
  get ptyHostPid(): number | undefined {
    return this.generation?.connection.pid;
  }

  private withCursorState(sessionId: string, snapshot: string): string {
    return this.feeds.get(sessionId)?.withCursorState(snapshot) ?? snapshot;
  }

  /** Starts a pty in the pty host; `create` makes where its output goes, once it runs. */
  private async spawnPty(
    id: string,
    spec: { cwd: string; argv: string[]; env: Record<string, string>; cols: number; rows: number },
    create: (pid: number, generation: PtyHostGeneration) => PtyEndpoint,
  ): Promise<{ ok: true; pid: number } | Failure> {
    const [file, ...args] = spec.argv;
    if (!file) return failure('invalid_input', 'no program to run');
    let generation: PtyHostGeneration;
    try {
      generation = this.ensurePtyHost();
    } catch (error) {
      return failure('invalid_state', `the pty host did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    const env = { TERM: 'xterm-256color', ...spec.env };
    return new Promise<{ ok: true; pid: number } | Failure>((resolve) => {
      const timer = setTimeout(() => {
        generation.pendingSpawns.delete(id);
        resolve(failure('invalid_state', 'the pty host did not answer'));
      }, this.opts.spawnTimeoutMs ?? DEFAULT_SPAWN_TIMEOUT_MS);
      generation.pendingSpawns.set(id, {
        create: (pid) => create(pid, generation),
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      });
      generation.connection.send({ type: 'spawn', id, file, args, cwd: spec.cwd, env, cols: spec.cols, rows: spec.rows });
    });
  }

  private killPty(id: string): void {
    this.generationOf(id)?.connection.send({ type: 'kill', id });
  }

  private running(sessionId: string): { ok: true; session: TerminalSession; generation: PtyHostGeneration } | Failure {
    const session = this.sessions.get(sessionId);
    if (!session) return failure('not_found', `no terminal ${sessionId}`);
    const generation = this.generationOf(sessionId);
    if (session.exit || !generation) return failure('invalid_state', `terminal ${sessionId} has exited`);
    return { ok: true, session, generation };
  }

  private generationOf(sessionId: string): PtyHostGeneration | null {
    const generation = this.generation;
    return generation && !generation.isDead && generation.ptys.has(sessionId) ? generation : null;
  }

  private ensurePtyHost(): PtyHostGeneration {
    if (this.generation && !this.generation.isDead) return this.generation;
    const connection = (this.opts.startPtyHost ?? (() => forkPtyHost()))();
    const generation: PtyHostGeneration = { connection, ptys: new Map(), pendingSpawns: new Map(), isDead: false };
    connection.onMessage((message) => this.handleMessage(generation, message));
    connection.onExit((reason) => this.handlePtyHostExit(generation, reason));
    this.generation = generation;
    return generation;
  }

  private handleMessage(generation: PtyHostGeneration, message: PtyHostToHost): void {
    if (generation.isDead) return;
    switch (message.type) {
      case 'data': {
        const endpoint = generation.ptys.get(message.id);
        if (endpoint?.kind === 'session') endpoint.session.handleData(message.data);
        else endpoint?.command.handleData(message.data);
        return;
      }
      case 'exit': {
        const endpoint = generation.ptys.get(message.id);
        if (!endpoint) return;
        generation.ptys.delete(message.id);
        return this.endPty(endpoint, { exitCode: message.exitCode, signal: message.signal === 0 ? null : message.signal, reason: null });
      }
      case 'spawned': {
        const pending = generation.pendingSpawns.get(message.id);
        generation.pendingSpawns.delete(message.id);
        if (!pending) {
          // Nobody waits any more (timed out): do not leave an orphan running.
          generation.connection.send({ type: 'kill', id: message.id });
          return;
        }
        generation.ptys.set(message.id, pending.create(message.pid));
        return pending.resolve({ ok: true, pid: message.pid });
      }
      case 'spawn_failed': {
        const pending = generation.pendingSpawns.get(message.id);
        generation.pendingSpawns.delete(message.id);
        return pending?.resolve(failure('invalid_state', `the terminal did not start: ${message.reason}`));
      }
      case 'flow':
        return;
    }
  }

  private handlePtyHostExit(generation: PtyHostGeneration, reason: string): void {
    if (generation.isDead) return;
    generation.isDead = true;
    if (this.generation === generation) this.generation = null;
    const crash = `${PTY_HOST_CRASHED} (${reason})`;
    for (const pending of generation.pendingSpawns.values()) pending.resolve(failure('invalid_state', crash));
    generation.pendingSpawns.clear();
    for (const endpoint of generation.ptys.values()) this.endPty(endpoint, { exitCode: null, signal: null, reason: crash });
    generation.ptys.clear();
    this.opts.onDidCrashPtyHost?.(reason);
  }

  private endPty(endpoint: PtyEndpoint, exit: TerminalExit): void {
    if (endpoint.kind === 'session') this.reportExit(endpoint.session, exit);
    else endpoint.command.handleExit(exit);
  }

  private scrollbackLines(): number {
    const { scrollback } = this.opts;
    return (typeof scrollback === 'function' ? scrollback() : scrollback) ?? DEFAULT_SCROLLBACK_LINES;
  }

  private readonly journalOutput = (sessionId: string, chunk: string): void => {
    this.opts.recorder?.output(sessionId, chunk);
    this.opts.onOutputForJournal?.(sessionId, chunk);
  };

  private journalInput(sessionId: string, data: string): void {
    this.opts.recorder?.input(sessionId, data);
    this.opts.onInputForJournal?.(sessionId, data);
  }

  private reportExit(session: TerminalSession, exit: TerminalExit): void {
    session.handleExit(exit);
    void this.opts.recorder?.end(session.sessionId);
    if (this.sessions.get(session.sessionId) === session) this.opts.onDidExit?.(session.sessionId, exit);
  }

  private createSession(
    sessionId: string,
    pid: number,
    spec: { cwd: string; argv: string[]; cols: number; rows: number },
    generation: PtyHostGeneration,
  ): TerminalSession {
    this.opts.recorder?.start(sessionId, { cols: spec.cols, rows: spec.rows, command: spec.argv.join(' ') });
    return new TerminalSession({
      sessionId,
      pid,
      ...spec,
      scrollback: this.scrollbackLines(),
      mirrorMaxLagChars: this.opts.mirrorMaxLagChars ?? DEFAULT_MIRROR_MAX_LAG_CHARS,
      createMirror: this.createMirror,
      sendAck: (chars) => {
        if (!generation.isDead) generation.connection.send({ type: 'ack', id: sessionId, chars });
      },
      onOutputForJournal: this.journalOutput,
    });
  }
}

function infoOf(session: TerminalSession): TerminalSessionInfo {
  return {
    sessionId: session.sessionId,
    pid: session.pid,
    cwd: session.cwd,
    argv: [...session.argv],
    cols: session.cols,
    rows: session.rows,
    exit: session.exit,
  };
}

function checkSize(cols: number, rows: number): Failure | null {
  const isValid = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_DIMENSION;
  return isValid(cols) && isValid(rows) ? null : failure('invalid_input', `bad terminal size ${cols}×${rows}`);
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
