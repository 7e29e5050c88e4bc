import { events, methods, type EventName, type EventPayload, type MethodName, type MethodOutput } from '../contract.js';

/**
 * What a client does with what the host sends: the host is trusted less than it looks, and a
 * version skew or a bug should surface as a clear error here, not as `undefined` deep inside a
 * component or a command.
 */
export function parseOutput<M extends MethodName>(method: M, raw: unknown): MethodOutput<M> {
  const result = methods[method].output.safeParse(raw);
  if (!result.success) {
    throw new Error(`unexpected reply to ${method}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  }
  // safeParse on a schema picked by a generic key widens to the union of all outputs.
  return result.data as MethodOutput<M>;
}

/**
 * Returns null (and says so through `warn`) for a payload that does not match: one bad event
 * must not break the rest.
 */
export function parsePayload<E extends EventName>(event: E, raw: unknown, warn: (message: string) => void = () => {}): EventPayload<E> | null {
  const result = events[event].safeParse(raw);
  if (!result.success) {
    warn(`flotilla: dropped malformed ${event} event: ${result.error.issues[0]?.message ?? 'invalid'}`);
    return null;
  }
  return result.data as EventPayload<E>;
}
