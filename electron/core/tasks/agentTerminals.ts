import { failure, type Failure } from '../../../shared/contract.js';
import type { TerminalInfo } from '../../../shared/contracts/terminal.js';
import { commandHeader, exitLine, HIDE_CURSOR, hostNote } from '../agent/agentTerminalLines.js';
import type { CommandPtyHost } from '../agent/commandPtyHost.js';
import type { WorkerEvent } from '../agent/workerProtocol.js';
import type { TerminalService } from '../terminal/terminalService.js';

/** 120 × 32 until a viewer fits it: wide enough for most progress bars and test reporters. */
const INITIAL_COLS = 120;
const INITIAL_ROWS = 32;

interface AgentFeed {
  sessionId: string;
  /** The command whose header is shown and whose exit line is not yet. */
  open: { callId: string; isOnPty: boolean } | null;
  /** Whether the last thing written ended a line (else the next host line starts a new one). */
  isAtLineStart: boolean;
  hasShownCommand: boolean;
}

/**
 * Each task's Agent terminal: one continuous terminal (a feed of the TerminalService, so it
 * reattaches by snapshot like any other) showing every command of every turn in order: a dim
 * `$ command` header, the command's own live output from its pty, a dim exit line. Made on the
 * task's first command; keystrokes typed into it go to the running command (to answer a prompt).
 */
export class AgentTerminals {
  private readonly feeds = new Map<string, AgentFeed>();

  constructor(
    private readonly deps: {
      service: TerminalService;
      /** A task's Agent terminal was made: the host journals where it is recorded. */
      onDidOpen?: (taskId: string, sessionId: string) => void;
    },
  ) {}

  /** Follows the agent's events: headers, exit lines, and what a command that never ran says. */
  observe(taskId: string, event: WorkerEvent): void {
    switch (event.type) {
      case 'command_started': {
        const feed = this.ensure(taskId);
        if (!feed) return;
        // A command that never reported its end (its worker died) is closed first.
        if (feed.open) this.write(feed, exitLine({ notRun: 'no result' }, { isAtLineStart: feed.isAtLineStart }));
        this.write(feed, commandHeader(event.command, { isFirst: !feed.hasShownCommand, isAtLineStart: feed.isAtLineStart }));
        feed.hasShownCommand = true;
        feed.open = { callId: event.callId, isOnPty: false };
        return;
      }
      case 'command_output': {
        const feed = this.feeds.get(taskId);
        // A command on a pty already showed its output, raw; this is only its plain-text copy.
        if (!feed || feed.open?.callId !== event.callId || feed.open.isOnPty) return;
        this.write(feed, hostNote(event.chunk), event.chunk.endsWith('\n'));
        return;
      }
      case 'command_finished': {
        const feed = this.feeds.get(taskId);
        if (!feed || feed.open?.callId !== event.callId) return;
        const end = feed.open.isOnPty || event.exitCode !== null || event.isKilled ? event : { notRun: 'not run' };
        this.write(feed, exitLine(end, { isAtLineStart: feed.isAtLineStart }));
        feed.open = null;
        return;
      }
      case 'agent_message':
        return;
    }
  }

  /** The turn is over: a command it left without an end (its worker was killed) gets one. */
  endTurn(taskId: string): void {
    const feed = this.feeds.get(taskId);
    if (!feed?.open) return;
    this.write(feed, exitLine({ notRun: 'no result (the turn ended)' }, { isAtLineStart: feed.isAtLineStart }));
    feed.open = null;
  }

  /** Opens the ptys of a task's commands in its Agent terminal. */
  commandPtys(taskId: string): CommandPtyHost {
    return {
      open: async (request, sink) => {
        const feed = this.ensure(taskId);
        if (!feed) return failure('invalid_state', 'the terminal service is shut down');
        if (feed.open?.callId === request.callId) feed.open.isOnPty = true;
        const started = await this.deps.service.runInFeed(
          feed.sessionId,
          { argv: [request.file, ...request.args], env: request.env, cwd: request.cwd },
          {
            onData: (chunk) => {
              feed.isAtLineStart = chunk.endsWith('\n');
              sink.onData(chunk);
            },
            onExit: (exit) => sink.onExit(exit),
          },
        );
        if (!started.ok) return started;
        return { ok: true, pty: started.command };
      },
    };
  }

  /** The task's Agent terminal, or null before its first command. */
  info(taskId: string): TerminalInfo | null {
    const feed = this.feeds.get(taskId);
    const session = feed ? this.deps.service.get(feed.sessionId) : null;
    if (!feed || !session) return null;
    // "Running" here: a command runs in it now.
    return { sessionId: feed.sessionId, taskId, kind: 'agent', cols: session.cols, rows: session.rows, isRunning: feed.open !== null, exitCode: null };
  }

  isAgentTerminal(sessionId: string): boolean {
    for (const feed of this.feeds.values()) if (feed.sessionId === sessionId) return true;
    return false;
  }

  /** The task's worktree is going: its Agent terminal (and any command in it) goes too. */
  close(taskId: string): void {
    const feed = this.feeds.get(taskId);
    if (!feed) return;
    this.feeds.delete(taskId);
    this.deps.service.close(feed.sessionId);
  }

  private ensure(taskId: string): AgentFeed | null {
    const existing = this.feeds.get(taskId);
    if (existing && this.deps.service.get(existing.sessionId)) return existing;
    const opened = this.deps.service.openFeed({ cols: INITIAL_COLS, rows: INITIAL_ROWS });
    if (!opened.ok) return logged(opened);
    const feed: AgentFeed = { sessionId: opened.session.sessionId, open: null, isAtLineStart: true, hasShownCommand: false };
    this.feeds.set(taskId, feed);
    this.deps.onDidOpen?.(taskId, feed.sessionId);
    // Nothing to type into until a command runs.
    this.write(feed, HIDE_CURSOR);
    return feed;
  }

  /** Host lines (headers, exit lines) end their line; a note may not. */
  private write(feed: AgentFeed, text: string, isAtLineStart = true): void {
    this.deps.service.writeFeed(feed.sessionId, text);
    feed.isAtLineStart = isAtLineStart;
  }
}

function logged(result: Failure): null {
  console.error(`flotilla: no Agent terminal: ${result.message}`);
  return null;
}
