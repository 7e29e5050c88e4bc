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
 * How often we look whether the program has exited (ms): 5 ms after output, backing off to
 * 100 ms while it is quiet. Programs mostly exit right after their last output, so the exit is
 * seen within a few ms; a silent one within 100 ms. (See drainThenHangUp for why we look at all.)
 */
const EXIT_CHECK_MIN_MS = 5;
const EXIT_CHECK_MAX_MS = 100;
/** 5 ms without output, after the exit, before the slave is closed (plus one poll of the event loop). */
const DRAIN_QUIET_MS = 5;
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
  private exitCheck: NodeJS.Timeout | null = null;
  private exitCheckDelayMs = EXIT_CHECK_MIN_MS;
  /** Data events so far: tells the exit check and the drain whether output came since they last looked. */
  private dataEvents = 0;
  private dataEventsAtLastCheck = 0;
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
    if (this.slaveFd !== null) this.scheduleExitCheck();
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
    this.dataEvents++;
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
  }

  private scheduleExitCheck(): void {
    this.exitCheck = setTimeout(() => this.checkStillRunning(), this.exitCheckDelayMs);
  }

  private checkStillRunning(): void {
    this.exitCheck = null;
    if (this.hasExited || this.isDraining) return;
    try {
      // Succeeds for a zombie too: node-pty reaps its child at once, so "gone" means reaped.
      process.kill(this.pty.pid, 0);
    } catch {
      this.drainThenHangUp();
      return;
    }
    const sawOutput = this.dataEvents !== this.dataEventsAtLastCheck;
    this.dataEventsAtLastCheck = this.dataEvents;
    this.exitCheckDelayMs = sawOutput ? EXIT_CHECK_MIN_MS : Math.min(EXIT_CHECK_MAX_MS, this.exitCheckDelayMs * 2);
    this.scheduleExitCheck();
  }

  /**
   * The program is gone, but we hold the pty's slave open (see openSlave), so node-pty would
   * only report the exit when its 200 ms timeout destroys the pty — 200 ms added to every
   * command. Instead: read what is left whatever the consumer's pace, and once the output has
   * been quiet for DRAIN_QUIET_MS and one more poll of the event loop found nothing (the
   * setImmediate runs after the poll phase, so a read that was waiting behind a busy loop is
   * seen first), close the slave: the master then reads end-of-file with nothing left unread,
   * and node-pty reports the exit at once.
   */
  private drainThenHangUp(): void {
    this.isDraining = true;
    this.setPaused(false);
    let seen = this.dataEvents;
    const look = () => {
      this.exitCheck = setTimeout(() => {
        setImmediate(() => {
          if (this.hasExited) return;
          if (this.dataEvents !== seen) {
            seen = this.dataEvents;
            return look();
          }
          this.closeSlave();
        });
      }, DRAIN_QUIET_MS);
    };
    look();
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
    this.flush();
    this.send({ type: 'exit', id: this.id, exitCode, signal });
    this.cleanUp();
  }

  private cleanUp(): void {
    this.hasExited = true;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    if (this.exitCheck) clearTimeout(this.exitCheck);
    if (this.killTimer) clearTimeout(this.killTimer);
    this.batchTimer = this.exitCheck = this.killTimer = null;
    this.closeSlave();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.onDidExit();
  }
}

/**
 * Opens the pty's slave side and keeps it open until the exit is reported. Without it the last
 * output of a program is often lost: when the program exits, the master sees a hang-up, and
 * libuv takes the next short read (a pty gives at most 4 KiB per read) together with the hang-up
 * for end-of-file while the kernel still holds data (seen with `seq 1 200000`: 5-15 KB lost).
 * With the slave held open there is no hang-up while output is unread;
 * once the program is gone and its output drained, drainThenHangUp closes it. Returns null where there is no slave
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
