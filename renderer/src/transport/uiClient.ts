import type { ContractClient } from '../../../shared/contract.js';
import type { SocketStatus } from '../../../shared/contracts/socketClient.js';
import type { TerminalLink } from './terminalLink.js';

/**
 * - `connecting`: the first attempt, nothing shown yet.
 * - `connected`: calls go through.
 * - `reconnecting`: the link dropped; events may be missed until the next `connected`.
 * (The client core's `closed` comes only with `dispose`: the UI never shows it.)
 */
export type ConnectionStatus = Exclude<SocketStatus, 'closed'>;

/** The contract plus what the UI needs to know about the link itself. */
export interface UiClient extends ContractClient {
  /**
   * Terminal bytes (binary frames). Optional only so test fakes need not provide it; the real
   * clients always do.
   */
  readonly terminals?: TerminalLink;
  connectionStatus(): ConnectionStatus;
  onConnectionChange(listener: (status: ConnectionStatus) => void): () => void;
  /** Stops reconnecting and rejects what is in flight. */
  dispose(): void;
}
