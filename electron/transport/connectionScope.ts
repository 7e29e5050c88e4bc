import { failure } from '../../shared/contract.js';
import type { ConnectionHandlers, EventName, EventPayload, Handlers, MethodOutput } from '../../shared/contract.js';
import type { TerminalChannel } from '../core/terminal/terminalChannel.js';

/**
 * The task whose watchers alone receive this event, or null when every client does.
 * Command output is most of what a busy fleet emits (batched every 50 ms per running command),
 * and only a view of that task shows it: the board needs the rest (statuses, command starts,
 * agent messages) for its cards and notifications.
 */
export function watchedTaskOf<E extends EventName>(event: E, payload: EventPayload<E>): string | null {
  if (!isAppendedEvent(event, payload)) return null;
  return payload.event.body.kind === 'command_output' ? payload.event.taskId : null;
}

function isAppendedEvent(event: EventName, _payload: unknown): _payload is EventPayload<'tasks.onDidAppendEvent'> {
  return event === 'tasks.onDidAppendEvent';
}

/**
 * What belongs to one client connection (a WebSocket, or one Electron window), and answers the
 * contract's per-connection methods for it: which events it receives (all of them, except the
 * command output of tasks it does not watch: `tasks.watch`), and its terminal channel
 * (`terminal.attach`).
 */
export class ConnectionScope {
  private watched: ReadonlySet<string> = new Set();

  /** `terminals`: the connection's terminal channel; null while it has none (a window before its port). */
  constructor(private readonly terminals: () => TerminalChannel | null = () => null) {}

  /** `tasks.watch` from this connection: replaces the set. */
  watch(taskIds: readonly string[]): MethodOutput<'tasks.watch'> {
    this.watched = new Set(taskIds);
    return { ok: true };
  }

  /** `terminal.attach` from this connection: the session's output then streams to this connection only. */
  async attach(sessionId: string): Promise<MethodOutput<'terminal.attach'>> {
    const channel = this.terminals();
    if (!channel) return failure('invalid_state', 'the terminal channel of this window is not ready; reload the window');
    return channel.attach(sessionId);
  }

  isWatching(taskId: string): boolean {
    return this.watched.has(taskId);
  }

  wants<E extends EventName>(event: E, payload: EventPayload<E>): boolean {
    const taskId = watchedTaskOf(event, payload);
    return taskId === null || this.watched.has(taskId);
  }

  /** A new page on the same connection (an Electron reload) starts watching nothing. */
  clear(): void {
    this.watched = new Set();
  }
}

/**
 * The handler table of one connection: the host's, and the per-connection methods answered by
 * the connection's own scope (the host's table has no connection to scope). Built once per
 * connection; a per-connection method without its handler here is a compile error.
 */
export function handlersFor(handlers: Handlers, scope: ConnectionScope): Handlers & ConnectionHandlers {
  const connection: ConnectionHandlers = {
    'tasks.watch': async (input) => scope.watch(input.taskIds),
    'terminal.attach': (input) => scope.attach(input.sessionId),
  };
  return { ...handlers, ...connection };
}
