import type { UiClient } from '../../transport/uiClient.js';

/** The message every refused call rejects with: a replay never acts on the host. */
export const READ_ONLY_MESSAGE = 'This is a replay: it shows what happened and changes nothing.';

/**
 * The client the replayed board's components get instead of the host's: every call is refused
 * and no host event reaches them. It is the guarantee behind "read-only" (a button a component
 * forgot to hide still cannot approve, merge or start anything), and it also keeps the cards
 * from asking the live host about today's branches (conflicts, sensitive files), which would
 * not be what was on screen at the replay's time.
 */
export function createReadOnlyClient(): UiClient {
  return {
    invoke: (method) => Promise.reject(new Error(`${READ_ONLY_MESSAGE} (${method})`)),
    on: () => () => {},
    connectionStatus: () => 'connected',
    onConnectionChange: () => () => {},
    dispose: () => {},
  };
}
