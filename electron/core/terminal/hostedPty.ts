import crypto from 'node:crypto';
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
 * How often a pty checks whether its program has exited, in ms: often while it is young (most
 * agent commands end within a second, and each waits for this), rarely once it is a long-lived
 * shell. A paused pty checks often at any age: node-pty destroys the pty's socket 200 ms after
 * the exit and drops what was still unread, so it must start reading again well before that.
 */
const EXIT_WATCH_YOUNG_MS = 10;
const EXIT_WATCH_OLD_MS = 100;
const EXIT_WATCH_PAUSED_MS = 20;
/** A pty is young for its first second. */
const YOUNG_FOR_MS = 1_000;
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
  private readonly openedAt = performance.now();
  /** Written to the slave once the program is gone; see endOfOutputMarker. null: not (or no longer) awaited. */
  private endMarker: string | null = null;
  /** The end of the output read so far that may be the start of the marker, held back until the next read. */
  private heldTail = '';

  constructor(
    readonly id: string,
    private readonly pty: IPty,
    private readonly send: (message: PtyHostToHost) => void,
    private readonly onDidExit: () => void,
    private readonly opts: HostedPtyOptions = {},
  ) {
    this.slaveFd = openSlave(pty);
    this.subscriptions = [pty.onData((data) => this.handleData(data)), pty.onExit(({ exitCode, signal }) => this.handleExit(exitCode, signal ?? 0))];
    this.watchExit();
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

  private handleData(chunk: string): void {
    if (this.hasExited) return;
    const data = this.endMarker === null ? chunk : this.takeUntilEndMarker(chunk);
    if (data.length === 0) return;
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
    if (isPaused) this.pty.pause();
    else this.pty.resume();
    this.send({ type: 'flow', id: this.id, isPaused });
    if (!this.isDraining) this.watchExit();
  }

  /** (Re)arms the check for the program's exit at the pace its state calls for. */
  private watchExit(): void {
    if (this.exitWatch) clearTimeout(this.exitWatch);
    this.exitWatch = null;
    if (this.hasExited || this.isDraining) return;
    // Without a slave to write the marker to, only a paused pty needs to notice the exit itself.
    if (this.slaveFd === null && !this.isPaused) return;
    const isYoung = performance.now() - this.openedAt < YOUNG_FOR_MS;
    const interval = this.isPaused ? EXIT_WATCH_PAUSED_MS : isYoung ? EXIT_WATCH_YOUNG_MS : EXIT_WATCH_OLD_MS;
    this.exitWatch = setTimeout(() => this.checkStillRunning(), interval);
  }

  private checkStillRunning(): void {
    this.exitWatch = null;
    try {
      process.kill(this.pty.pid, 0);
      this.watchExit();
    } catch {
      // Gone (and reaped): read its last output before node-pty closes the pty, then end.
      this.isDraining = true;
      this.setPaused(false);
      this.writeEndMarker();
    }
  }

  /**
   * Ends the output as soon as the program's last byte is read, instead of after node-pty's
   * 200 ms wait. A marker written to the slave now queues behind everything the program wrote
   * (one buffer, in order), so once it is read, all of the program's output has been read too;
   * then our slave is closed, the master reads end-of-file and node-pty reports the exit at
   * once. (Closing the slave without the marker lost output: the kernel passes a pty's last
   * bytes to the master asynchronously.) If anything goes wrong, node-pty's 200 ms wait still
   * ends the pty; if a background process keeps the slave open, it does too, as before.
   */
  private writeEndMarker(): void {
    const slaveFd = this.slaveFd;
    if (slaveFd === null || this.hasExited) return;
    const marker = endOfOutputMarker();
    this.endMarker = marker;
    fs.write(slaveFd, marker, (error) => {
      // EAGAIN (the pty's buffer is full) or a closed pty: no early end; the marker was not written.
      if (!error || this.endMarker !== marker) return;
      this.endMarker = null;
      // Output read meanwhile and held back as a possible marker start goes out now, in order.
      const tail = this.heldTail;
      this.heldTail = '';
      this.handleData(tail);
    });
  }

  /** The output in `chunk` up to the end marker (and what follows it); holds back a possible partial marker. */
  private takeUntilEndMarker(chunk: string): string {
    const marker = this.endMarker ?? '';
    const text = this.heldTail + chunk;
    const at = text.indexOf(marker);
    if (at >= 0) {
      this.endMarker = null;
      this.heldTail = '';
      this.closeSlave();
      // After the marker: output of background processes the program left, if any.
      return text.slice(0, at) + text.slice(at + marker.length);
    }
    let keep = Math.min(marker.length - 1, text.length);
    while (keep > 0 && !marker.startsWith(text.slice(text.length - keep))) keep -= 1;
    this.heldTail = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  private closeSlave(): void {
    if (this.slaveFd !== null) fs.close(this.slaveFd, () => {});
    this.slaveFd = null;
  }

  private handleExit(exitCode: number, signal: number): void {
    if (this.hasExited) return;
    // After a kill request, what ignored the hang-up (or was started in the background) goes too.
    if (this.killTimer) killProcessGroup(this.pty.pid, 'SIGKILL');
    // node-pty reports the exit after the pty's socket closed, i.e. after its last data.
    if (this.heldTail.length > 0) {
      // The marker never came: what was held back was output.
      this.pending.push(this.heldTail);
      this.pendingChars += this.heldTail.length;
      this.heldTail = '';
    }
    this.flush();
    this.send({ type: 'exit', id: this.id, exitCode, signal });
    this.cleanUp();
  }

  private cleanUp(): void {
    this.hasExited = true;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    if (this.exitWatch) clearTimeout(this.exitWatch);
    if (this.killTimer) clearTimeout(this.killTimer);
    this.batchTimer = this.exitWatch = this.killTimer = null;
    this.endMarker = null;
    this.closeSlave();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.onDidExit();
  }
}

/**
 * An APC string no program prints by chance (random per pty). Only capitals, digits and escapes:
 * the slave's output processing (ONLCR, OLCUC, …) leaves them as they are.
 */
function endOfOutputMarker(): string {
  return `\x1b_FLOTILLA-END-${crypto.randomBytes(8).toString('hex').toUpperCase()}\x1b\\`;
}

/**
 * Opens the pty's slave side and keeps it open until the end marker is read (or the exit is
 * reported). Without it the last output of a program is often lost: when the program exits, the
 * master sees a hang-up, and libuv takes the next short read (a pty gives at most 4 KiB per
 * read) together with the hang-up for end-of-file while the kernel still holds data (seen with
 * `seq 1 200000`: 5-15 KB lost). With the slave held open there is no hang-up until we close it,
 * after the marker. Returns null where there is no slave to open (Windows); the pty then works
 * as before, ending 200 ms after the exit.
 */
function openSlave(pty: IPty): number | null {
  const ptsName: unknown = (pty as IPty & { ptsName?: unknown }).ptsName;
  if (typeof ptsName !== 'string' || !ptsName.startsWith('/dev/')) return null;
  try {
    // O_NOCTTY: the pty host must never take this terminal as its own controlling terminal.
    // O_NONBLOCK: the end marker is never worth a thread blocked on a full (or stopped) pty.
    return fs.openSync(ptsName, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
  } catch {
    return null;
  }
}
