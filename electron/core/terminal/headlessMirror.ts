import xtermHeadless from '@xterm/headless';
import { SerializeAddon } from '@xterm/addon-serialize';
import type { ScreenMirror, ScreenMirrorOptions } from './screenMirror.js';

// @xterm/headless is CommonJS without named-export hints: take the class off its exports object.
const { Terminal } = xtermHeadless;

/**
 * A terminal without a screen that parses a session's whole output, so a viewer that attaches
 * late gets the current screen and scrollback at once instead of a replay of raw output.
 * Parsing is asynchronous (xterm's write buffer works in ~12 ms slices): `write` returns at once.
 * The service runs these in the mirror worker (mirrorWorker.ts), off the host's main thread.
 */
export class HeadlessMirror implements ScreenMirror {
  private readonly term: InstanceType<typeof Terminal>;
  private readonly serializer = new SerializeAddon();
  /** Written but not yet parsed, oldest first: what a snapshot taken now does not show yet. */
  private readonly unparsed: string[] = [];
  private writtenCharCount = 0;
  private parsedCharCount = 0;
  private isDisposed = false;
  /** Snapshots asked for and not yet taken: answered with '' if the mirror is disposed first. */
  private readonly pendingSnapshots = new Set<{ onSnapshot: (snapshot: string) => void }>();

  constructor(private readonly opts: ScreenMirrorOptions) {
    this.term = new Terminal({
      cols: opts.cols,
      rows: opts.rows,
      scrollback: opts.scrollback,
      allowProposedApi: true,
    });
    this.term.loadAddon(this.serializer);
  }

  /** Chars (UTF-16 code units) written so far. */
  get writtenChars(): number {
    return this.writtenCharCount;
  }

  /** Chars parsed so far: never more than `writtenChars`. */
  get parsedChars(): number {
    return this.parsedCharCount;
  }

  write(chunk: string): void {
    if (this.isDisposed || chunk.length === 0) return;
    this.writtenCharCount += chunk.length;
    this.unparsed.push(chunk);
    try {
      this.term.write(chunk, () => {
        this.unparsed.shift();
        this.parsedCharCount += chunk.length;
        this.opts.onDidParse?.();
      });
    } catch {
      // xterm refuses data while 50 MB are pending. Flow control keeps the backlog far below
      // that; should it ever happen, the screen misses this chunk, but the stream must not
      // wait for a parse that will never come.
      this.unparsed.pop();
      this.parsedCharCount += chunk.length;
      this.opts.onDidParse?.();
    }
  }

  /** Resizes at this point of the stream: after what was written so far has been parsed at the old size. */
  resize(cols: number, rows: number): void {
    if (this.isDisposed) return;
    this.term.write('', () => {
      if (!this.isDisposed) this.term.resize(cols, rows);
    });
  }

  /**
   * Calls `onSnapshot` with a string that rebuilds the screen and scrollback of everything
   * written so far, when written to a fresh terminal of the same size. It is called synchronously
   * at a point where no chunk can be written in between: a viewer registered inside the callback
   * gets exactly the chunks written after the snapshot, so the two join without gap or overlap.
   */
  takeSnapshot(onSnapshot: (snapshot: string) => void): void {
    if (this.isDisposed) return onSnapshot('');
    // The marker's callback runs once everything written before it is parsed, before the chunks
    // written after it (xterm calls write callbacks in order, between chunks): serialize then,
    // and append those later chunks raw. Nothing can write to us while xterm is parsing.
    const request = { onSnapshot };
    this.pendingSnapshots.add(request);
    this.term.write('', () => {
      if (!this.pendingSnapshots.delete(request)) return;
      onSnapshot(this.serializer.serialize() + this.unparsed.join(''));
    });
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.unparsed.length = 0;
    const pending = [...this.pendingSnapshots];
    this.pendingSnapshots.clear();
    for (const request of pending) request.onSnapshot('');
    this.term.dispose();
  }
}
