import type { EventName, EventPayload, Handlers } from '../../shared/contract.js';
import type { TerminalChannel } from './terminal/terminalChannel.js';

export type HostEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** The host as every transport sees it: one handler table and one event stream. */
export interface Host {
  readonly home: string;
  /** The contract's host methods; transports answer its per-connection methods themselves. */
  readonly handlers: Handlers;
  /**
   * The terminal side of one client connection: binary frames in and out, and `terminal.attach`
   * for that connection. Dispose it when the connection closes.
   */
  openTerminalChannel(sendFrame: (frame: Uint8Array) => void): TerminalChannel;
  /**
   * Tasks with an agent turn under way or waiting for a slot (what quitting would interrupt):
   * queued, running, or asking the user to approve a command.
   */
  workingTasks(): Array<{ id: string; title: string }>;
  /** Every contract event, in order. Returns an unsubscribe function. */
  onEvent(listener: HostEventListener): () => void;
  /** Stops agents and closes the database; safe to call twice. */
  dispose(): Promise<void>;
}
