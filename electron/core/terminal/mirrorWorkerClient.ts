import { Worker } from 'node:worker_threads';
import { builtScript } from '../util/paths.js';
import type { FromMirrorWorker, ToMirrorWorker } from './mirrorWorkerProtocol.js';
import type { ScreenMirror, ScreenMirrorOptions } from './screenMirror.js';

/**
 * The main thread's side of the mirror worker: one worker thread for all sessions, started with
 * the first mirror. `create` hands out ScreenMirrors whose parsing happens in the worker.
 */
export class MirrorWorker {
  private worker: Worker | null = null;
  private readonly mirrors = new Map<number, RemoteMirror>();
  private nextId = 1;
  private isDisposed = false;

  constructor(private readonly opts: { script?: string } = {}) {}

  create(options: ScreenMirrorOptions): ScreenMirror {
    const id = this.nextId++;
    const mirror = new RemoteMirror(id, options, (message) => this.post(message), () => this.mirrors.delete(id));
    if (this.isDisposed) {
      mirror.lose();
      return mirror;
    }
    this.mirrors.set(id, mirror);
    this.post({ type: 'open', id, cols: options.cols, rows: options.rows, scrollback: options.scrollback });
    return mirror;
  }

  /** Stops the worker; mirrors still in use answer snapshots with what they hold since. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const mirror of this.mirrors.values()) mirror.lose();
    this.mirrors.clear();
    void this.worker?.terminate();
    this.worker = null;
  }

  private post(message: ToMirrorWorker): void {
    if (this.isDisposed || (message.type === 'close' && !this.worker)) return;
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.opts.script ?? builtScript('electron/core/terminal/mirrorWorker.js'));
    worker.on('message', (message: FromMirrorWorker) => this.mirrors.get(message.id)?.receive(message));
    worker.on('error', (error) => console.error('flotilla: the terminal mirror worker failed:', error));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      // A bug or out of memory: the screens it held are gone. Streams go on; the next mirror
      // starts a new worker. Never hold a pty for a mirror that will not parse any more.
      this.worker = null;
      if (!this.isDisposed) console.error('flotilla: the terminal mirror worker exited; open terminals lose their saved screens');
      for (const mirror of this.mirrors.values()) mirror.lose();
      this.mirrors.clear();
    });
    // The worker must not keep a host that is shutting down alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/**
 * A session's mirror as the main thread sees it. Keeps the chunks the worker has not confirmed
 * parsing yet, so a snapshot taken in the worker at position `upTo` can be completed with the
 * chunks written here after it: the viewer registered in the snapshot callback then continues
 * exactly where the snapshot ends.
 */
class RemoteMirror implements ScreenMirror {
  private written = 0;
  private parsed = 0;
  /** Chunks from stream position `retainedFrom` on, not yet confirmed parsed. */
  private retained: string[] = [];
  private retainedFrom = 0;
  private readonly pendingSnapshots = new Map<number, (snapshot: string) => void>();
  private nextRequest = 1;
  private isLost = false;
  private isDisposed = false;

  constructor(
    private readonly id: number,
    private readonly opts: ScreenMirrorOptions,
    private readonly post: (message: ToMirrorWorker) => void,
    private readonly onDispose: () => void,
  ) {}

  get writtenChars(): number {
    return this.written;
  }

  get parsedChars(): number {
    return this.parsed;
  }

  write(chunk: string): void {
    if (this.isDisposed || chunk.length === 0) return;
    this.written += chunk.length;
    if (this.isLost) {
      this.parsed = this.written;
      return;
    }
    this.retained.push(chunk);
    this.post({ type: 'write', id: this.id, data: chunk });
  }

  resize(cols: number, rows: number): void {
    if (!this.isDisposed && !this.isLost) this.post({ type: 'resize', id: this.id, cols, rows });
  }

  takeSnapshot(onSnapshot: (snapshot: string) => void): void {
    if (this.isDisposed || this.isLost) return onSnapshot('');
    const request = this.nextRequest++;
    this.pendingSnapshots.set(request, onSnapshot);
    this.post({ type: 'snapshot', id: this.id, request });
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (!this.isLost) this.post({ type: 'close', id: this.id });
    this.answerPending('');
    this.retained = [];
    this.onDispose();
  }

  receive(message: FromMirrorWorker): void {
    if (this.isDisposed || this.isLost) return;
    if (message.type === 'parsed') {
      this.parsed = message.parsedChars;
      // Drop what the worker has parsed: no snapshot can start before it any more.
      while (this.retained.length > 0 && this.retainedFrom + (this.retained[0]?.length ?? 0) <= this.parsed) {
        this.retainedFrom += this.retained.shift()?.length ?? 0;
      }
      this.opts.onDidParse?.();
      return;
    }
    const onSnapshot = this.pendingSnapshots.get(message.request);
    if (!onSnapshot) return;
    this.pendingSnapshots.delete(message.request);
    onSnapshot(message.data + this.retainedAfter(message.upTo));
  }

  /** The worker is gone: stop holding the stream, answer snapshots with nothing. */
  lose(): void {
    if (this.isLost) return;
    this.isLost = true;
    this.parsed = this.written;
    this.retained = [];
    this.answerPending('');
    this.opts.onDidParse?.();
  }

  /** The chunks written here after stream position `from` (a chunk boundary: the worker saw the same chunks). */
  private retainedAfter(from: number): string {
    let position = this.retainedFrom;
    const after: string[] = [];
    for (const chunk of this.retained) {
      if (position >= from) after.push(chunk);
      else if (position + chunk.length > from) after.push(chunk.slice(from - position));
      position += chunk.length;
    }
    return after.join('');
  }

  private answerPending(snapshot: string): void {
    const pending = [...this.pendingSnapshots.values()];
    this.pendingSnapshots.clear();
    for (const onSnapshot of pending) onSnapshot(snapshot);
  }
}
