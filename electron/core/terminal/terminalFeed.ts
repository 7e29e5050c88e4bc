import { TerminalSession, type TerminalExit, type TerminalSessionOptions } from './terminalSession.js';

/**
 * A feed is a terminal session with no program of its own (the task's Agent terminal): its
 * stream is text the host writes into it, interleaved with the output of commands that run on
 * ptys of their own. Each such command is held back by everyone who reads its output: the feed
 * (its viewers and its headless mirror) and the command's own consumer (the agent worker).
 */

export interface OpenFeedOptions {
  /** A UUID; default: a new one. */
  sessionId?: string;
  cols: number;
  rows: number;
}

export interface RunInFeedOptions {
  /** The program and its arguments. */
  argv: string[];
  /** The program's whole environment. TERM defaults to xterm-256color. */
  env: Record<string, string>;
  cwd: string;
}

/** A command running in a feed, as its starter holds it. */
export interface FeedCommandHandle {
  readonly pid: number;
  /** The consumer took in `chars` more chars of the output (see FeedCommandConsumer). */
  ack(chars: number): void;
  /** Hangs up the command's process group (SIGKILL after a grace period); the exit is reported as usual. */
  kill(): void;
}

/** Who else reads a command's output besides the feed, e.g. the agent worker. */
export interface FeedCommandConsumer {
  /** Raw output, in order. Acknowledge it with the handle's `ack` once taken in. */
  onData(chunk: string): void;
  /** Once, after the last output. */
  onExit(exit: TerminalExit): void;
}

/**
 * Which source each stretch of a feed's stream came from, so that acks from the feed (counted
 * in chars of the whole stream, in order) reach the commands whose output was consumed.
 * `null` stands for text the host wrote itself (nobody to hold back).
 */
export class FeedLedger<S> {
  /** Stretches not yet consumed, oldest first; neighbours from the same source are merged. */
  private readonly stretches: { source: S | null; chars: number }[] = [];
  private head = 0;

  /** `chars` more chars of the stream came from `source`. */
  append(source: S | null, chars: number): void {
    if (chars <= 0) return;
    const last = this.stretches.at(-1);
    if (last && this.stretches.length > this.head && last.source === source) last.chars += chars;
    else this.stretches.push({ source, chars });
  }

  /** The next `chars` chars of the stream were consumed: tells each source its share, in order. */
  consume(chars: number, onConsumed: (source: S, chars: number) => void): void {
    let left = chars;
    while (left > 0 && this.head < this.stretches.length) {
      const stretch = this.stretches[this.head];
      if (!stretch) break;
      const taken = Math.min(left, stretch.chars);
      stretch.chars -= taken;
      left -= taken;
      if (stretch.source !== null) onConsumed(stretch.source, taken);
      if (stretch.chars === 0) this.head += 1;
    }
    // Drop consumed stretches now and then, not on every ack.
    if (this.head > 64 && this.head * 2 > this.stretches.length) {
      this.stretches.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Chars appended and not yet consumed (for tests). */
  get pendingChars(): number {
    let total = 0;
    for (let i = this.head; i < this.stretches.length; i++) total += this.stretches[i]?.chars ?? 0;
    return total;
  }
}

export interface FeedCommandOptions {
  consumer: FeedCommandConsumer;
  /** Writes a chunk of this command's output into the feed (recording it in the feed's ledger). */
  toFeed: (chunk: string, command: FeedCommand) => void;
  /** Tells the pty host that `chars` more output was consumed by everyone. */
  sendAck: (chars: number) => void;
  /** After the exit was reported (the feed forgets the command). */
  onDidExit: () => void;
}

/**
 * One command running on a pty of its own, shown in a feed. Its pty is acked up to what both
 * the feed and the consumer have consumed: a viewer of the Agent terminal that falls behind
 * pauses the command, as it would pause a shell in an interactive terminal.
 */
export class FeedCommand {
  private receivedChars = 0;
  private feedConsumedChars = 0;
  private consumerConsumedChars = 0;
  private ackedChars = 0;
  private hasExited = false;

  constructor(
    /** The pty's id in the pty host. */
    readonly id: string,
    readonly pid: number,
    private readonly opts: FeedCommandOptions,
  ) {}

  get isRunning(): boolean {
    return !this.hasExited;
  }

  handleData(chunk: string): void {
    if (this.hasExited) return;
    this.receivedChars += chunk.length;
    this.opts.toFeed(chunk, this);
    try {
      this.opts.consumer.onData(chunk);
    } catch (error) {
      console.error(`flotilla: the consumer of command pty ${this.id} failed:`, error);
    }
  }

  handleExit(exit: TerminalExit): void {
    if (this.hasExited) return;
    this.hasExited = true;
    this.opts.onDidExit();
    this.opts.consumer.onExit(exit);
  }

  /** The feed's viewers and mirror consumed `chars` more chars of this command's output. */
  feedConsumed(chars: number): void {
    this.feedConsumedChars = Math.min(this.receivedChars, this.feedConsumedChars + chars);
    this.updateAck();
  }

  /** The consumer took in `chars` more chars of this command's output. */
  consumerConsumed(chars: number): void {
    if (!(chars > 0)) return;
    this.consumerConsumedChars = Math.min(this.receivedChars, this.consumerConsumedChars + chars);
    this.updateAck();
  }

  private updateAck(): void {
    if (this.hasExited) return;
    const consumedTo = Math.min(this.feedConsumedChars, this.consumerConsumedChars);
    if (consumedTo <= this.ackedChars) return;
    this.opts.sendAck(consumedTo - this.ackedChars);
    this.ackedChars = consumedTo;
  }
}

/** DECTCEM off. */
const HIDE_CURSOR = '\x1b[?25l';

/**
 * One feed: its session (screen, viewers, acks), the ledger of who wrote what, and the commands
 * running in it. TerminalFeeds starts and stops the commands' ptys; this keeps the books.
 */
export class TerminalFeed {
  readonly session: TerminalSession;
  private readonly ledger = new FeedLedger<FeedCommand>();
  /** Oldest first; keystrokes go to the newest. */
  private readonly commands: FeedCommand[] = [];
  private isClosed = false;

  constructor(sessionOptions: Omit<TerminalSessionOptions, 'pid' | 'cwd' | 'argv' | 'sendAck'>) {
    this.session = new TerminalSession({
      ...sessionOptions,
      pid: 0,
      cwd: '',
      argv: [],
      // What the feed's readers consumed is passed on to the commands it came from.
      sendAck: (chars) => this.ledger.consume(chars, (command, consumed) => command.feedConsumed(consumed)),
    });
  }

  /** The host's own text (a header, a status line). */
  write(text: string): void {
    if (this.isClosed || text.length === 0) return;
    // Recorded before it is written: the mirror may ack it right away.
    this.ledger.append(null, text.length);
    this.session.handleData(text);
  }

  /** Shows a command whose pty has started; its output comes through the returned FeedCommand. */
  addCommand(id: string, pid: number, opts: { consumer: FeedCommandConsumer; sendAck: (chars: number) => void }): FeedCommand {
    const command: FeedCommand = new FeedCommand(id, pid, {
      ...opts,
      toFeed: (chunk) => {
        // A feed closed under a running command shows nothing more (the command is being killed).
        if (this.isClosed) return;
        this.ledger.append(command, chunk.length);
        this.session.handleData(chunk);
      },
      onDidExit: () => {
        const index = this.commands.indexOf(command);
        if (index >= 0) this.commands.splice(index, 1);
      },
    });
    this.commands.push(command);
    return command;
  }

  /** Where keystrokes go: the newest running command, if any. */
  get inputTarget(): FeedCommand | undefined {
    return this.commands.at(-1);
  }

  get runningCommands(): readonly FeedCommand[] {
    return this.commands;
  }

  /**
   * A serialized screen does not keep the cursor's visibility. With no command running there is
   * nothing to type into: the cursor is hidden, on a fresh viewer too.
   */
  withCursorState(snapshot: string): string {
    return this.commands.length === 0 ? `${snapshot}${HIDE_CURSOR}` : snapshot;
  }

  close(): void {
    this.isClosed = true;
    this.session.close();
  }
}
