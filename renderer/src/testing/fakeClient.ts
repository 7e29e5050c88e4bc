import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract.js';
import type { ConnectionStatus, UiClient } from '../transport/uiClient.js';

type Handler = (input: unknown) => unknown;

/**
 * An in-memory UiClient for state tests: handlers answer calls, `emit` plays events,
 * `setStatus` plays the link going down and up. Outputs are not re-parsed here; the
 * transports' own tests cover parsing.
 */
export function createFakeClient(handlers: Partial<Record<MethodName, Handler>>) {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const calls: Array<{ method: MethodName; input: unknown }> = [];
  let status: ConnectionStatus = 'connected';
  const client: UiClient = {
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      calls.push({ method, input });
      const handler = handlers[method];
      if (!handler) throw new Error(`no fake handler for ${method}`);
      return (await handler(input)) as MethodOutput<M>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    connectionStatus: () => status,
    onConnectionChange(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    dispose() {},
  };
  return {
    client,
    calls,
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: EventPayload<E>) => void)(payload);
    },
    setStatus(next: ConnectionStatus) {
      status = next;
      for (const listener of statusListeners) listener(next);
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0) + statusListeners.size,
  };
}

/** Lets pending promise callbacks run. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
