/**
 * Joins a command's output chunks before they cross IPC: `yes` can produce thousands of
 * chunks a second, and each IPC message costs a journal row and a UI event on the host.
 * (The sandbox runner already caps the total and stops the command past it.)
 */
export class OutputBatcher {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (chunk: string) => void,
    private readonly opts: {
      /**
       * 50 ms: still looks live to a reader (20 updates/s), while 32 chatty agents cost the host a
       * third of the messages, journal rows and UI events that one flush per frame (16 ms) did.
       */
      flushMs?: number;
      /** 64 KiB: keeps one IPC message small. */
      maxPendingChars?: number;
    } = {},
  ) {}

  push(chunk: string): void {
    if (chunk.length === 0) return;
    this.pending += chunk;
    if (this.pending.length >= (this.opts.maxPendingChars ?? 64 * 1024)) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.opts.flushMs ?? 50);
  }

  /** Sends whatever is pending now; call before reporting the command finished. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = '';
    this.send(chunk);
  }
}
