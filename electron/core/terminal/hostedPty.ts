import fs from 'node:fs';
import type { IPty } from 'node-pty';
import { killProcessGroup } from './killProcessGroup.js';
import {
  BATCH_INTERVAL_MS,
  BATCH_MAX_CHARS,
  FLOW_HIGH_WATERMARK_CHARS,
  FLOW_LOW_WATERMARK_CHARS,
  type PtyHostToHost,
} from './ptyHostProtocol.js';

export interface HostedPtyOptions {
  batchIntervalMs?: number;
  batchMaxChars?: number;
  highWatermarkChars?: number;
  lowWatermarkChars?: number;
  /** 1 s between the hang-up and the SIGKILL of whatever ignored it. */
  killGraceMs?: number;
}

/**
 * 20 ms: how often a paused pty checks whether its process has exited. node-pty destroys the
 * pty's socket 200 ms after the exit and drops what was still unread, so a paused pty must start
 * reading again well before that.
 */
const EXIT_WATCH_INTERVAL_MS = 20;
const DEFAULT_KILL_GRACE_MS = 1_000;

/**
 * One pty inside the pty host: batches its output into `data` messages and applies flow
 * control (pause the pty above the high watermark of un-acked chars, resume under the low one),
 * so a slow viewer makes the program block on a full pty buffer instead of filling our memory.
 */
export class HostedPty {
  private pending: string[] = [];
  private pendingChars = 0;
  private batchTimer: NodeJS.Timeout | null = null;
  private unackedChars = 0;
  private isPaused = false;
  /** Set once the program is gone: read whatever it left, whatever the consumer's pace. */
  private isDraining = false;
  private exitWatch: NodeJS.Timeout | null = null;
  private killTimer: NodeJS.Timeout | null = null;
  private hasExited = false;
  private readonly subscriptions: { dispose(): void }[];
  private slaveFd: number | null;

  constructor(
    readonly id: string,
    private readonly pty: IPty,
    private readonly send: (message: PtyHostToHost) => void,
    private readonly onDidExit: () => void,
    private readonly opts: HostedPtyOptions = {},
  ) {
    this.slaveFd = openSlave(pty);
    this.subscriptions = [pty.onData((data) => this.handleData(data)), pty.onExit(({ exitCode, signal }) => this.handleExit(exitCode, signal ?? 0))];
  }

  get pid(): number {
    return this.pty.pid;
  }

  write(data: string): void {
    if (this.hasExited) return;
    this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.hasExited) return;
    try {
      this.pty.resize(cols, rows);
    } catch {
      // The pty closed between the exit of its program and our exit event: nothing to resize.
    }
  }

  ack(chars: number): void {
    this.unackedChars = Math.max(0, this.unackedChars - chars);
    if (this.isPaused && this.unackedChars < (this.opts.lowWatermarkChars ?? FLOW_LOW_WATERMARK_CHARS)) this.setPaused(false);
  }

  /** SIGHUP to the whole process group now, SIGKILL to it after the grace period. */
  kill(): void {
    if (this.hasExited || this.killTimer) return;
    killProcessGroup(this.pty.pid, 'SIGHUP');
    this.killTimer = setTimeout(() => killProcessGroup(this.pty.pid, 'SIGKILL'), this.opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  }

  /** For a pty host that is going away: no grace, nothing more is sent. */
  destroy(): void {
    if (this.hasExited) return;
    killProcessGroup(this.pty.pid, 'SIGKILL');
    this.cleanUp();
  }

  private handleData(data: string): void {
    if (this.hasExited) return;
    this.pending.push(data);
    this.pendingChars += data.length;
    this.unackedChars += data.length;
    if (!this.isPaused && !this.isDraining && this.unackedChars > (this.opts.highWatermarkChars ?? FLOW_HIGH_WATERMARK_CHARS)) {
      // Nothing more comes until the consumer acks: waiting for the timer would only add latency.
      // Flushed first, so the consumer knows, when told of the pause, all it has to ack.
      this.flush();
      this.setPaused(true);
    } else if (this.pendingChars >= (this.opts.batchMaxChars ?? BATCH_MAX_CHARS)) {
      this.flush();
    } else {
      this.batchTimer ??= setTimeout(() => this.flush(), this.opts.batchIntervalMs ?? BATCH_INTERVAL_MS);
    }
  }

  private flush(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.pendingChars === 0) return;
    const data = this.pending.length === 1 ? (this.pending[0] ?? '') : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.send({ type: 'data', id: this.id, data });
  }

  private setPaused(isPaused: boolean): void {
    if (this.isPaused === isPaused) return;
    this.isPaused = isPaused;
    if (isPaused) {
      this.pty.pause();
      this.exitWatch = setInterval(() => this.checkStillRunning(), EXIT_WATCH_INTERVAL_MS);
    } else {
      if (this.exitWatch) clearInterval(this.exitWatch);
      this.exitWatch = null;
      this.pty.resume();
    }
    this.send({ type: 'flow', id: this.id, isPaused });
  }

  private checkStillRunning(): void {
    try {
      process.kill(this.pty.pid, 0);
    } catch {
      // Gone (and reaped): drain its last output before node-pty closes the pty.
      this.isDraining = true;
      this.setPaused(false);
    }
  }

  private handleExit(exitCode: number, signal: number): void {
    if (this.hasExited) return;
    // After a kill request, what ignored the hang-up (or was started in the background) goes too.
    if (this.killTimer) killProcessGroup(this.pty.pid, 'SIGKILL');
    // node-pty reports the exit after the pty's socket closed, i.e. after its last data.
    this.flush();
    this.send({ type: 'exit', id: this.id, exitCode, signal });
    this.cleanUp();
  }

  private cleanUp(): void {
    this.hasExited = true;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    if (this.exitWatch) clearInterval(this.exitWatch);
    if (this.killTimer) clearTimeout(this.killTimer);
    this.batchTimer = this.exitWatch = this.killTimer = null;
    if (this.slaveFd !== null) fs.close(this.slaveFd, () => {});
    this.slaveFd = null;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.onDidExit();
  }
}

/**
 * Opens the pty's slave side and keeps it open until the exit is reported. Without it the last
 * output of a program is often lost: when the program exits, the master sees a hang-up, and
 * libuv takes the next short read (a pty gives at most 4 KiB per read) together with the hang-up
 * for end-of-file while the kernel still holds data (seen with `seq 1 200000`: 5-15 KB lost).
 * With the slave held open there is no hang-up: node-pty reads until it closes the pty 200 ms
 * after the exit, by which time everything has been read. Returns null where there is no slave
 * to open (Windows); the pty then works as before.
 */
function openSlave(pty: IPty): number | null {
  const ptsName: unknown = (pty as IPty & { ptsName?: unknown }).ptsName;
  if (typeof ptsName !== 'string' || !ptsName.startsWith('/dev/')) return null;
  try {
    // O_NOCTTY: the pty host must never take this terminal as its own controlling terminal.
    return fs.openSync(ptsName, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  } catch {
    return null;
  }
}
