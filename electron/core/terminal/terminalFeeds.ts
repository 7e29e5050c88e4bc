import { randomUUID } from 'node:crypto';
import { failure, type Failure } from '../../../shared/contract.js';
import type { PtyHostSupervisor } from './ptyHostSupervisor.js';
import { TerminalFeed, type FeedCommand, type FeedCommandConsumer, type FeedCommandHandle, type RunInFeedOptions } from './terminalFeed.js';
import type { TerminalSession, TerminalSessionOptions } from './terminalSession.js';
import type { TerminalTap } from './terminalTap.js';

/** What every session's screen is made with (the service's settings, asked at each open). */
export type SessionScreenOptions = Pick<TerminalSessionOptions, 'scrollback' | 'mirrorMaxLagChars' | 'createMirror' | 'onOutputForJournal'>;

/**
 * The terminal service's feeds (see terminalFeed.ts): sessions with no program of their own,
 * showing the host's text and the commands run in them on ptys of the pty host. The service
 * checks its callers' input and keeps every session in its registry; this runs the feeds' ptys
 * and routes their keystrokes, sizes and kills.
 */
export class TerminalFeeds {
  private readonly feeds = new Map<string, TerminalFeed>();

  constructor(
    private readonly deps: {
      ptyHost: PtyHostSupervisor;
      tap: TerminalTap;
      screen: () => SessionScreenOptions;
    },
  ) {}

  /** Makes a feed of a checked id and size; its session is for the service's registry. */
  open(sessionId: string, cols: number, rows: number): TerminalSession {
    const feed = new TerminalFeed({ sessionId, cols, rows, ...this.deps.screen() });
    this.deps.tap.started(sessionId, { cols, rows, title: 'agent commands' });
    this.feeds.set(sessionId, feed);
    return feed.session;
  }

  has(sessionId: string): boolean {
    return this.feeds.has(sessionId);
  }

  /** Writes the host's own text into a feed (a header, a status line). */
  write(sessionId: string, text: string): { ok: true } | Failure {
    const feed = this.feeds.get(sessionId);
    if (!feed) return failure('not_found', `no feed ${sessionId}`);
    feed.write(text);
    return { ok: true };
  }

  /**
   * Runs a (checked) program on a pty of its own, at the feed's size: its output goes into the
   * feed and to `consumer`, and its pty is held back until both have consumed it.
   */
  async run(sessionId: string, options: RunInFeedOptions, consumer: FeedCommandConsumer): Promise<{ ok: true; command: FeedCommandHandle } | Failure> {
    const feed = this.feeds.get(sessionId);
    if (!feed) return failure('not_found', `no feed ${sessionId}`);
    const { ptyHost } = this.deps;
    const ptyId = randomUUID();
    const made: { command: FeedCommand | null } = { command: null };
    const spawned = await ptyHost.spawn(
      ptyId,
      { cwd: options.cwd, argv: options.argv, env: options.env, cols: feed.session.cols, rows: feed.session.rows },
      (pid, ack) => {
        made.command = feed.addCommand(ptyId, pid, { consumer, sendAck: ack });
        return made.command;
      },
    );
    if (!spawned.ok) return spawned;
    const started = made.command;
    if (!started) return failure('invalid_state', 'the pty host crashed while starting the command');
    // The feed was closed while the command started: nobody shows it.
    if (this.feeds.get(sessionId) !== feed) ptyHost.send({ type: 'kill', id: ptyId });
    return {
      ok: true,
      command: {
        pid: started.pid,
        ack: (chars) => started.consumerConsumed(chars),
        kill: () => {
          if (started.isRunning) ptyHost.send({ type: 'kill', id: ptyId });
        },
      },
    };
  }

  /** A prompt of the running command is answered from its feed; with none running, keys go nowhere. */
  input(sessionId: string, data: string): { ok: true } {
    const target = this.feeds.get(sessionId)?.inputTarget;
    if (!target || data.length === 0) return { ok: true };
    this.deps.tap.input(sessionId, data);
    this.deps.ptyHost.send({ type: 'write', id: target.id, data });
    return { ok: true };
  }

  /** The screen follows its viewer, and so do the commands drawing on it. */
  resize(sessionId: string, cols: number, rows: number): { ok: true } | Failure {
    const feed = this.feeds.get(sessionId);
    if (!feed) return failure('not_found', `no feed ${sessionId}`);
    feed.session.resize(cols, rows);
    this.deps.tap.resized(sessionId, cols, rows);
    for (const command of feed.runningCommands) this.deps.ptyHost.send({ type: 'resize', id: command.id, cols, rows });
    return { ok: true };
  }

  /** A feed itself runs nothing: its commands are what there is to kill. */
  kill(sessionId: string): void {
    for (const command of this.feeds.get(sessionId)?.runningCommands ?? []) this.deps.ptyHost.send({ type: 'kill', id: command.id });
  }

  withCursorState(sessionId: string, snapshot: string): string {
    return this.feeds.get(sessionId)?.withCursorState(snapshot) ?? snapshot;
  }

  /** Shows nothing more (its running commands are being killed) and forgets the feed. */
  close(sessionId: string): void {
    this.feeds.get(sessionId)?.close();
    this.feeds.delete(sessionId);
  }

  /** Forgets every feed (the service closes their sessions). */
  clear(): void {
    this.feeds.clear();
  }
}
