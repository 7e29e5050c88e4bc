import type { EventName, EventPayload, Handlers } from '../../shared/contract.js';

export type HostEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** The host as every transport sees it: one handler table and one event stream. */
export interface Host {
  readonly home: string;
  readonly handlers: Handlers;
  /** Every contract event, in order. Returns an unsubscribe function. */
  onEvent(listener: HostEventListener): () => void;
  /** Stops agents and closes the database; safe to call twice. */
  dispose(): Promise<void>;
}
