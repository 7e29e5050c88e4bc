import type { EventName, EventPayload, Handlers, MethodOutput } from '../../shared/contract.js';

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
 * Which events one client connection receives (a WebSocket, or one Electron window): all of
 * them, except the command output of tasks it does not watch (`tasks.watch`).
 */
export class EventScope {
  private watched: ReadonlySet<string> = new Set();

  /** `tasks.watch` from this connection: replaces the set. */
  watch(taskIds: readonly string[]): MethodOutput<'tasks.watch'> {
    this.watched = new Set(taskIds);
    return { ok: true };
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
 * The handler table of one connection: the host's, with `tasks.watch` answered by the
 * connection's own scope (the host's table has no connection to scope). Built once per connection.
 */
export function handlersFor(handlers: Handlers, scope: EventScope): Handlers {
  return { ...handlers, 'tasks.watch': async (input) => scope.watch(input.taskIds) };
}
