import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { failure, type Failure } from '../../../shared/contract.js';
import { HeadlessMirror } from './headlessMirror.js';
import { MirrorWorker } from './mirrorWorkerClient.js';
import type { StartPtyHost } from './ptyHostProcess.js';
import { PtyHostSupervisor, type PtySpec } from './ptyHostSupervisor.js';
import { DEFAULT_SCROLLBACK_LINES, type CreateScreenMirror } from './screenMirror.js';
import type { FeedCommandConsumer, FeedCommandHandle, OpenFeedOptions, RunInFeedOptions } from './terminalFeed.js';
import { TerminalFeeds, type SessionScreenOptions } from './terminalFeeds.js';
import type { TerminalRecorder } from './terminalRecorder.js';
import { TerminalSession, type TerminalExit, type TerminalSessionOptions, type TerminalViewer, type ViewerAttachment } from './terminalSession.js';
import { TerminalTap } from './terminalTap.js';

export type { TerminalExit, TerminalViewer, ViewerAttachment } from './terminalSession.js';
export type { FeedCommandConsumer, FeedCommandHandle, OpenFeedOptions, RunInFeedOptions } from './terminalFeed.js';
export { PTY_HOST_CRASHED } from './ptyHostSupervisor.js';

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
  /** The pty host process died; its sessions have been reported as exited. `isRestarted`: a new one runs. */
  onDidCrashPtyHost?: (reason: string, isRestarted: boolean) => void;
  /** 10 s for the pty host to answer a spawn. */
  spawnTimeoutMs?: number;
}

export interface OpenTerminalOptions extends PtySpec {
  /** A UUID (the binary frames carry it as 16 bytes). Default: a new one. */
  sessionId?: string;
}

export interface TerminalSessionInfo extends Pick<TerminalSessionOptions, 'sessionId' | 'pid' | 'cwd' | 'argv' | 'cols' | 'rows'> {
  /** null while the program runs. */
  exit: TerminalExit | null;
}

export type Attachment = ViewerAttachment & { ok: true; cols: number; rows: number };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Beyond 1000 × 1000 cells a size is a bug, and xterm would allocate it. */
const MAX_DIMENSION = 1_000;
const DEFAULT_MIRROR_MAX_LAG_CHARS = 1_000_000;
const DEFAULT_SPAWN_TIMEOUT_MS = 10_000;

/**
 * Owns every terminal session of the host: checks what callers ask, keeps the registry of
 * sessions and feeds, and answers for them. The ptys themselves live in the pty host process
 * (PtyHostSupervisor starts it on the first `open` and again after a crash); each session keeps
 * a headless mirror of its screen here so viewers can attach at any time; TerminalTap copies
 * every session's traffic to its recording and the journal.
 */
export class TerminalService {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly ptyHost: PtyHostSupervisor;
  private readonly tap: TerminalTap;
  private readonly feeds: TerminalFeeds;
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
    this.ptyHost = new PtyHostSupervisor({
      startPtyHost: opts.startPtyHost,
      spawnTimeoutMs: opts.spawnTimeoutMs ?? DEFAULT_SPAWN_TIMEOUT_MS,
      onDidCrash: opts.onDidCrashPtyHost,
    });
    this.tap = new TerminalTap({ recorder: opts.recorder, onOutputForJournal: opts.onOutputForJournal, onInputForJournal: opts.onInputForJournal });
    this.feeds = new TerminalFeeds({ ptyHost: this.ptyHost, tap: this.tap, screen: () => this.screenOptions() });
  }

  async open(options: OpenTerminalOptions): Promise<{ ok: true; session: TerminalSessionInfo } | Failure> {
    if (this.isDisposed) return failure('invalid_state', 'the terminal service is shut down');
    const sessionId = options.sessionId ?? randomUUID();
    if (!UUID_PATTERN.test(sessionId)) return failure('invalid_input', `session id ${sessionId} is not a UUID`);
    if (this.sessions.has(sessionId) || this.ptyHost.isSpawning(sessionId)) return failure('invalid_input', `session ${sessionId} already exists`);
    if (!options.argv[0]) return failure('invalid_input', 'no program to run');
    const sizeError = checkSize(options.cols, options.rows);
    if (sizeError) return sizeError;
    if (!isDirectory(options.cwd)) return failure('not_found', `${options.cwd} is not a folder`);

    // The session is made on 'spawned' (see PtyHostSupervisor) so that no output can arrive before it exists.
    const spec = { cwd: options.cwd, argv: [...options.argv], cols: options.cols, rows: options.rows };
    const spawned = await this.ptyHost.spawn(sessionId, { ...spec, env: options.env }, (pid, ack) => {
      const session = this.createSession(sessionId, pid, spec, ack);
      this.sessions.set(sessionId, session);
      return { handleData: (data) => session.handleData(data), handleExit: (exit) => this.reportExit(session, exit) };
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
    const session = this.feeds.open(sessionId, options.cols, options.rows);
    this.sessions.set(sessionId, session);
    return { ok: true, session: infoOf(session) };
  }

  /** Writes the host's own text into a feed (a header, a status line). */
  writeFeed(sessionId: string, text: string): { ok: true } | Failure {
    return this.feeds.write(sessionId, text);
  }

  /**
   * Runs a program on a pty of its own, at the feed's size, in the pty host: its output goes into
   * the feed and to `consumer`, and its pty is held back until both have consumed it.
   */
  async runInFeed(sessionId: string, options: RunInFeedOptions, consumer: FeedCommandConsumer): Promise<{ ok: true; command: FeedCommandHandle } | Failure> {
    if (this.isDisposed) return failure('invalid_state', 'the terminal service is shut down');
    if (!this.feeds.has(sessionId)) return failure('not_found', `no feed ${sessionId}`);
    if (!options.argv[0]) return failure('invalid_input', 'no program to run');
    if (!isDirectory(options.cwd)) return failure('not_found', `${options.cwd} is not a folder`);
    return this.feeds.run(sessionId, options, consumer);
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
        resolve({ ok: true, cols: session.cols, rows: session.rows, ...attachment, snapshot: this.feeds.withCursorState(sessionId, attachment.snapshot) });
      });
    });
  }

  /** The current screen and scrollback as a string to write to a fresh terminal of the session's size. */
  snapshot(sessionId: string): Promise<{ ok: true; snapshot: string; cols: number; rows: number } | Failure> {
    const session = this.sessions.get(sessionId);
    if (!session) return Promise.resolve(failure('not_found', `no terminal ${sessionId}`));
    return new Promise((resolve) =>
      session.snapshot((snapshot) => resolve({ ok: true, snapshot: this.feeds.withCursorState(sessionId, snapshot), cols: session.cols, rows: session.rows })),
    );
  }

  write(sessionId: string, data: string): { ok: true } | Failure {
    if (this.feeds.has(sessionId)) return this.feeds.input(sessionId, data);
    const running = this.running(sessionId);
    if (!running.ok) return running;
    if (data.length === 0) return { ok: true };
    this.tap.input(sessionId, data);
    this.ptyHost.send({ type: 'write', id: sessionId, data });
    return { ok: true };
  }

  resize(sessionId: string, cols: number, rows: number): { ok: true } | Failure {
    const sizeError = checkSize(cols, rows);
    if (sizeError) return sizeError;
    if (this.feeds.has(sessionId)) return this.feeds.resize(sessionId, cols, rows);
    const running = this.running(sessionId);
    if (!running.ok) return running;
    running.session.resize(cols, rows);
    this.tap.resized(sessionId, cols, rows);
    this.ptyHost.send({ type: 'resize', id: sessionId, cols, rows });
    return { ok: true };
  }

  /** Hangs up the session's process group (SIGKILL after a grace period). The exit is reported as usual. */
  kill(sessionId: string): { ok: true } | Failure {
    const session = this.sessions.get(sessionId);
    if (!session) return failure('not_found', `no terminal ${sessionId}`);
    if (this.feeds.has(sessionId)) this.feeds.kill(sessionId);
    else if (!session.exit) this.ptyHost.send({ type: 'kill', id: sessionId });
    return { ok: true };
  }

  /** Kills the session if it still runs and forgets it: its screen is gone, viewers get nothing more. */
  close(sessionId: string): { ok: true } | Failure {
    const killed = this.kill(sessionId);
    if (!killed.ok) return killed;
    this.feeds.close(sessionId);
    this.sessions.get(sessionId)?.close();
    this.tap.ended(sessionId);
    this.sessions.delete(sessionId);
    this.ptyHost.forget(sessionId);
    return { ok: true };
  }

  /** Kills the pty host (and with it every pty) and forgets every session. Safe to call twice. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.ptyHost.dispose();
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
    this.feeds.clear();
    this.mirrorWorker?.dispose();
  }

  /** The pty host's pid, or undefined while none runs (for diagnostics, benchmarks and tests). */
  get ptyHostPid(): number | undefined {
    return this.ptyHost.pid;
  }

  private running(sessionId: string): { ok: true; session: TerminalSession } | Failure {
    const session = this.sessions.get(sessionId);
    if (!session) return failure('not_found', `no terminal ${sessionId}`);
    if (session.exit || !this.ptyHost.isRunning(sessionId)) return failure('invalid_state', `terminal ${sessionId} has exited`);
    return { ok: true, session };
  }

  /** How every session's screen is made; the scrollback setting is read at each open. */
  private screenOptions(): SessionScreenOptions {
    const { scrollback } = this.opts;
    return {
      scrollback: (typeof scrollback === 'function' ? scrollback() : scrollback) ?? DEFAULT_SCROLLBACK_LINES,
      mirrorMaxLagChars: this.opts.mirrorMaxLagChars ?? DEFAULT_MIRROR_MAX_LAG_CHARS,
      createMirror: this.createMirror,
      onOutputForJournal: this.tap.output,
    };
  }

  private reportExit(session: TerminalSession, exit: TerminalExit): void {
    session.handleExit(exit);
    this.tap.ended(session.sessionId);
    if (this.sessions.get(session.sessionId) === session) this.opts.onDidExit?.(session.sessionId, exit);
  }

  private createSession(
    sessionId: string,
    pid: number,
    spec: { cwd: string; argv: string[]; cols: number; rows: number },
    ack: (chars: number) => void,
  ): TerminalSession {
    this.tap.started(sessionId, { cols: spec.cols, rows: spec.rows, command: spec.argv.join(' ') });
    return new TerminalSession({ sessionId, pid, ...spec, ...this.screenOptions(), sendAck: ack });
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
