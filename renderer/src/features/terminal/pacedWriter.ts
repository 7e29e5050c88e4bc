/**
 * Feeds a terminal view its output at a paced rate while the output floods, and at once
 * otherwise. Every write makes xterm draw the screen again on the next frame; drawing a screen
 * of DOM rows costs ~10–15 ms here, so at 60 frames a second a flood left xterm almost no time
 * to parse. Coalescing a flood into one write per `floodIntervalMs` draws at most that often
 * (like kitty's repaint_delay or WezTerm's max_fps) and gives the rest of the frame to parsing.
 * Typing and small outputs never wait: pacing starts only after a big write.
 */
export interface PacedWriterOptions {
  /** Writes to the view; `onParsed` runs once the view has parsed `data` (xterm's write callback). */
  write(data: string, onParsed: () => void): void;
  /** `chars` more output was consumed by the view: the flow-control acknowledgement to the host. */
  ack(chars: number): void;
  /** Default 50 ms: 20 draws a second during a flood, still a live view to the eye. */
  floodIntervalMs?: number;
  /** Default 16 Ki chars: a write this big means the output floods. */
  floodChars?: number;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

const DEFAULT_FLOOD_INTERVAL_MS = 50;
const DEFAULT_FLOOD_CHARS = 16 * 1024;

export class PacedWriter {
  private queued: string[] = [];
  private timer: unknown = null;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private lastWriteChars = 0;
  private isDisposed = false;
  private readonly intervalMs: number;
  private readonly floodChars: number;
  private readonly now: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly opts: PacedWriterOptions) {
    this.intervalMs = opts.floodIntervalMs ?? DEFAULT_FLOOD_INTERVAL_MS;
    this.floodChars = opts.floodChars ?? DEFAULT_FLOOD_CHARS;
    this.now = opts.now ?? (() => performance.now());
    this.setTimer = opts.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = opts.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  push(data: string): void {
    if (this.isDisposed || data.length === 0) return;
    this.queued.push(data);
    if (this.timer !== null) return;
    // The first big chunk goes at once; only the ones after it are paced.
    const isFlooding = this.lastWriteChars >= this.floodChars;
    const wait = isFlooding ? this.lastWriteAt + this.intervalMs - this.now() : 0;
    if (wait <= 0) this.flush();
    else this.timer = this.setTimer(() => this.flush(), wait);
  }

  /** Stops writing; what is still queued is acked so the host's pty is not held paused for a view that is gone. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    const chars = this.queued.reduce((sum, chunk) => sum + chunk.length, 0);
    this.queued = [];
    if (chars > 0) this.opts.ack(chars);
  }

  private flush(): void {
    this.timer = null;
    if (this.isDisposed || this.queued.length === 0) return;
    const data = this.queued.length === 1 ? (this.queued[0] ?? '') : this.queued.join('');
    this.queued = [];
    this.lastWriteAt = this.now();
    this.lastWriteChars = data.length;
    this.opts.write(data, () => this.opts.ack(data.length));
  }
}
