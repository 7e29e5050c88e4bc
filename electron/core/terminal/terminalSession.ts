import type { CreateScreenMirror, ScreenMirror } from './screenMirror.js';

/** How a session ended. `reason` is null for a program that exited on its own or was killed by us. */
export interface TerminalExit {
  /** null when unknown (the pty host crashed). */
  exitCode: number | null;
  /** The signal number that ended the program, null if none or unknown. */
  signal: number | null;
  reason: string | null;
}

export interface TerminalViewer {
  /** Output after the snapshot, in order. Called synchronously on the hot path: keep it cheap. */
  onData(chunk: string): void;
  onExit(exit: TerminalExit): void;
}

export interface TerminalSessionOptions {
  sessionId: string;
  /** 0 for a feed (it has no program of its own). */
  pid: number;
  cwd: string;
  argv: string[];
  cols: number;
  rows: number;
  scrollback: number;
  /** See TerminalServiceOptions.mirrorMaxLagChars. */
  mirrorMaxLagChars: number;
  /** Where the headless xterm runs (the mirror worker, or this thread). */
  createMirror: CreateScreenMirror;
  /** Tells the pty host that `chars` more output was consumed by everyone. */
  sendAck: (chars: number) => void;
  onOutputForJournal?: (sessionId: string, chunk: string) => void;
}

export interface ViewerAttachment {
  /** Write this to a fresh terminal of the session's size, then every chunk given to `onData`. */
  snapshot: string;
  detach(): void;
  /** The viewer has consumed (parsed) `chars` more chars of what `onData` gave it. */
  ack(chars: number): void;
}

interface AttachedViewer {
  viewer: TerminalViewer;
  /** Stream position (chars since the session started) up to which this viewer has acked. */
  ackedTo: number;
}

/**
 * One terminal as the host sees it: fans each output batch out to the attached viewers and a
 * headless mirror, and decides when to ack to the pty host. Everyone who reads the stream holds
 * it back: the slowest viewer, and the mirror (with some slack while viewers are attached, so a
 * viewer is not slowed by a mirror that is parsing one big batch).
 */
export class TerminalSession {
  readonly sessionId: string;
  readonly pid: number;
  readonly cwd: string;
  readonly argv: readonly string[];
  private size: { cols: number; rows: number };
  private exitInfo: TerminalExit | null = null;
  private readonly mirror: ScreenMirror;
  private readonly viewers = new Set<AttachedViewer>();
  /** Chars received from the pty host so far: the stream position of the next chunk. */
  private receivedChars = 0;
  /** Chars acked to the pty host so far. */
  private ackedChars = 0;
  private isClosed = false;

  constructor(private readonly opts: TerminalSessionOptions) {
    this.sessionId = opts.sessionId;
    this.pid = opts.pid;
    this.cwd = opts.cwd;
    this.argv = [...opts.argv];
    this.size = { cols: opts.cols, rows: opts.rows };
    this.mirror = opts.createMirror({ cols: opts.cols, rows: opts.rows, scrollback: opts.scrollback, onDidParse: () => this.updateAck() });
  }

  get cols(): number {
    return this.size.cols;
  }

  get rows(): number {
    return this.size.rows;
  }

  get exit(): TerminalExit | null {
    return this.exitInfo;
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  handleData(chunk: string): void {
    if (this.isClosed) return;
    this.receivedChars += chunk.length;
    for (const attached of this.viewers) {
      try {
        attached.viewer.onData(chunk);
      } catch (error) {
        console.error(`flotilla: terminal viewer of ${this.sessionId} failed:`, error);
      }
    }
    // Queued, not parsed: the mirror catches up between batches.
    this.mirror.write(chunk);
    this.opts.onOutputForJournal?.(this.sessionId, chunk);
  }

  handleExit(exit: TerminalExit): void {
    if (this.exitInfo || this.isClosed) return;
    this.exitInfo = exit;
    for (const attached of [...this.viewers]) {
      try {
        attached.viewer.onExit(exit);
      } catch (error) {
        console.error(`flotilla: terminal viewer of ${this.sessionId} failed:`, error);
      }
    }
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    this.mirror.resize(cols, rows);
  }

  /**
   * Calls `onAttached` with the current screen once the mirror has caught up; from then on the
   * viewer gets every chunk, starting right after the snapshot. A viewer attached to an exited
   * session gets the final screen and, right after, `onExit`.
   */
  attach(viewer: TerminalViewer, onAttached: (attachment: ViewerAttachment | null) => void): void {
    if (this.isClosed) return onAttached(null);
    this.mirror.takeSnapshot((snapshot) => {
      // Closed while the mirror was catching up: there is nothing to attach to any more.
      if (this.isClosed) return onAttached(null);
      const attached: AttachedViewer = { viewer, ackedTo: this.receivedChars };
      this.viewers.add(attached);
      onAttached({
        snapshot,
        detach: () => {
          if (this.viewers.delete(attached)) this.updateAck();
        },
        ack: (chars) => {
          if (!this.viewers.has(attached) || !(chars > 0)) return;
          attached.ackedTo = Math.min(this.receivedChars, attached.ackedTo + chars);
          this.updateAck();
        },
      });
      if (this.exitInfo) viewer.onExit(this.exitInfo);
    });
  }

  /** The current screen and scrollback, once the mirror has caught up ('' once closed). */
  snapshot(onSnapshot: (snapshot: string) => void): void {
    this.mirror.takeSnapshot(onSnapshot);
  }

  /** Forgets viewers and the mirror; the pty itself is the service's business. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.viewers.clear();
    this.mirror.dispose();
  }

  private updateAck(): void {
    if (this.isClosed || this.exitInfo) return;
    let consumedTo = this.mirror.parsedChars + (this.viewers.size > 0 ? this.opts.mirrorMaxLagChars : 0);
    for (const attached of this.viewers) consumedTo = Math.min(consumedTo, attached.ackedTo);
    consumedTo = Math.min(consumedTo, this.receivedChars);
    if (consumedTo <= this.ackedChars) return;
    this.opts.sendAck(consumedTo - this.ackedChars);
    this.ackedChars = consumedTo;
  }
}
