import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { failure, type Failure } from '../../../shared/contract.js';
import { HeadlessMirror } from './headlessMirror.js';
import { MirrorWorker } from './mirrorWorkerClient.js';
import { forkPtyHost, type PtyHostConnection, type StartPtyHost } from './ptyHostProcess.js';
import type { PtyHostToHost } from './ptyHostProtocol.js';
import { DEFAULT_SCROLLBACK_LINES, type CreateScreenMirror } from './screenMirror.js';
import { TerminalSession, type TerminalExit, type TerminalViewer, type ViewerAttachment } from './terminalSession.js';

export type { TerminalExit, TerminalViewer, ViewerAttachment } from './terminalSession.js';

export interface TerminalServiceOptions {
  /** Default: fork out/electron/core/terminal/ptyHost.js with plain Node (Electron passes a utilityProcess starter). */
  startPtyHost?: StartPtyHost;
  /** Lines of scrollback each session's mirror keeps (default 10_000). */
  scrollback?: number;
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

interface PendingSpawn {
  spec: { cwd: string; argv: string[]; cols: number; rows: number };
  resolve: (result: { ok: true; pid: number } | Failure) => void;
}

/** One running pty host and what lives in it. */
interface PtyHostGeneration {
  connection: PtyHostConnection;
  sessions: Map<string, TerminalSession>;
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
    const [file, ...args] = options.argv;
    if (!file) return failure('invalid_input', 'no program to run');
    const sizeError = checkSize(options.cols, options.rows);
    if (sizeError) return sizeError;
    if (!isDirectory(options.cwd)) return failure('not_found', `${options.cwd} is not a folder`);

    let generation: PtyHostGeneration;
    try {
      generation = this.ensurePtyHost();
    } catch (error) {
      return failure('invalid_state', `the pty host did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    const env = { TERM: 'xterm-256color', ...options.env };
    const spawned = await new Promise<{ ok: true; pid: number } | Failure>((resolve) => {
      const timer = setTimeout(() => {
        generation.pendingSpawns.delete(sessionId);
        resolve(failure('invalid_state', 'the pty host did not answer'));
      }, this.opts.spawnTimeoutMs ?? DEFAULT_SPAWN_TIMEOUT_MS);
      generation.pendingSpawns.set(sessionId, {
        spec: { cwd: options.cwd, argv: [...options.argv], cols: options.cols, rows: options.rows },
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      });
      generation.connection.send({ type: 'spawn', id: sessionId, file, args, cwd: options.cwd, env, cols: options.cols, rows: options.rows });
    });
    if (!spawned.ok) return spawned;
    // Created on 'spawned' (see handleMessage) so that no output can arrive before it exists.
    const session = generation.sessions.get(sessionId);
    if (!session) return failure('invalid_state', 'the pty host crashed while starting the terminal');
    return { ok: true, session: infoOf(session) };
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
        resolve({ ok: true, cols: session.cols, rows: session.rows, ...attachment });
      });
    });
  }

  /** The current screen and scrollback as a string to write to a fresh terminal of the session's size. */
  snapshot(sessionId: string): Promise<{ ok: true; snapshot: string; cols: number; rows: number } | Failure> {
    const session = this.sessions.get(sessionId);
    if (!session) return Promise.resolve(failure('not_found', `no terminal ${sessionId}`));
    return new Promise((resolve) => session.snapshot((snapshot) => resolve({ ok: true, snapshot, cols: session.cols, rows: session.rows })));
  }

  write(sessionId: string, data: string): { ok: true } | Failure {
    const running = this.running(sessionId);
    if (!running.ok) return running;
    if (data.length === 0) return { ok: true };
    this.opts.onInputForJournal?.(sessionId, data);
    running.generation.connection.send({ type: 'write', id: sessionId, data });
    return { ok: true };
  }

  resize(sessionId: string, cols: number, rows: number): { ok: true } | Failure {
    const sizeError = checkSize(cols, rows);
    if (sizeError) return sizeError;
    const running = this.running(sessionId);
    if (!running.ok) return running;
    running.session.resize(cols, rows);
    running.generation.connection.send({ type: 'resize', id: sessionId, cols, rows });
    return { ok: true };
  }

  /** Hangs up the session's process group (SIGKILL after a grace period). The exit is reported as usual. */
  kill(sessionId: string): { ok: true } | Failure {
    const session = this.sessions.get(sessionId);
    if (!session) return failure('not_found', `no terminal ${sessionId}`);
    const generation = this.generationOf(sessionId);
    if (!session.exit && generation) generation.connection.send({ type: 'kill', id: sessionId });
    return { ok: true };
  }

  /** Kills the session if it still runs and forgets it: its screen is gone, viewers get nothing more. */
  close(sessionId: string): { ok: true } | Failure {
    const killed = this.kill(sessionId);
    if (!killed.ok) return killed;
    this.sessions.get(sessionId)?.close();
    this.sessions.delete(sessionId);
    this.generationOf(sessionId)?.sessions.delete(sessionId);
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
    this.mirrorWorker?.dispose();
  }

  /** The pty host's pid, or undefined while none runs (for diagnostics, benchmarks and tests). */
  get ptyHostPid(): number | undefined {
    return this.generation?.connection.pid;
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
    return generation && !generation.isDead && generation.sessions.has(sessionId) ? generation : null;
  }

  private ensurePtyHost(): PtyHostGeneration {
    if (this.generation && !this.generation.isDead) return this.generation;
    const connection = (this.opts.startPtyHost ?? (() => forkPtyHost()))();
    const generation: PtyHostGeneration = { connection, sessions: new Map(), pendingSpawns: new Map(), isDead: false };
    connection.onMessage((message) => this.handleMessage(generation, message));
    connection.onExit((reason) => this.handlePtyHostExit(generation, reason));
    this.generation = generation;
    return generation;
  }

  private handleMessage(generation: PtyHostGeneration, message: PtyHostToHost): void {
    if (generation.isDead) return;
    switch (message.type) {
      case 'data':
        return generation.sessions.get(message.id)?.handleData(message.data);
      case 'exit': {
        const session = generation.sessions.get(message.id);
        if (!session) return;
        generation.sessions.delete(message.id);
        return this.reportExit(session, { exitCode: message.exitCode, signal: message.signal === 0 ? null : message.signal, reason: null });
      }
      case 'spawned': {
        const pending = generation.pendingSpawns.get(message.id);
        generation.pendingSpawns.delete(message.id);
        if (!pending) {
          // Nobody waits any more (timed out): do not leave an orphan running.
          generation.connection.send({ type: 'kill', id: message.id });
          return;
        }
        const session = this.createSession(message.id, message.pid, pending.spec, generation);
        generation.sessions.set(message.id, session);
        this.sessions.set(message.id, session);
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
    for (const session of generation.sessions.values()) this.reportExit(session, { exitCode: null, signal: null, reason: crash });
    generation.sessions.clear();
    this.opts.onDidCrashPtyHost?.(reason);
  }

  private reportExit(session: TerminalSession, exit: TerminalExit): void {
    session.handleExit(exit);
    if (this.sessions.get(session.sessionId) === session) this.opts.onDidExit?.(session.sessionId, exit);
  }

  private createSession(sessionId: string, pid: number, spec: PendingSpawn['spec'], generation: PtyHostGeneration): TerminalSession {
    return new TerminalSession({
      sessionId,
      pid,
      ...spec,
      scrollback: this.opts.scrollback ?? DEFAULT_SCROLLBACK_LINES,
      mirrorMaxLagChars: this.opts.mirrorMaxLagChars ?? DEFAULT_MIRROR_MAX_LAG_CHARS,
      createMirror: this.createMirror,
      sendAck: (chars) => {
        if (!generation.isDead) generation.connection.send({ type: 'ack', id: sessionId, chars });
      },
      onOutputForJournal: this.opts.onOutputForJournal,
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
