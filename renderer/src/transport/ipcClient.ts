import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract.js';
import { parseOutput, parsePayload } from '../../../shared/contracts/parseContract.js';
import { bytesOf } from '../../../shared/contracts/wire.js';
import type { FlotillaBridge } from './bridge.js';
import { TerminalRouter } from './terminalLink.js';
import type { ConnectionStatus, UiClient } from './uiClient.js';

/** Frames sent before main's port arrives wait; past this many something is wrong: drop. */
const MAX_QUEUED_FRAMES = 1_000;

/**
 * Electron: the preload bridge is always connected while the window lives. Terminal bytes go
 * over a MessagePort that main sends once the page loads: `onTerminalPort` hands it over.
 */
export function createIpcClient(
  bridge: FlotillaBridge,
  onTerminalPort: (accept: (port: MessagePort) => void) => () => void = () => () => {},
): UiClient {
  const unsubscribers = new Set<() => void>();
  let port: MessagePort | null = null;
  const queued: Uint8Array[] = [];
  const terminals = new TerminalRouter((bytes) => {
    if (port) port.postMessage(bytes);
    else if (queued.length < MAX_QUEUED_FRAMES) queued.push(bytes);
  });
  const stopListening = onTerminalPort((next) => {
    port?.close();
    port = next;
    next.onmessage = (event: MessageEvent) => {
      const bytes = bytesOf(event.data);
      if (bytes) terminals.dispatch(bytes);
    };
    for (const bytes of queued.splice(0)) next.postMessage(bytes);
  });
  unsubscribers.add(stopListening);
  return {
    terminals,
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      return parseOutput(method, await bridge.invoke(method, input));
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const off = bridge.on(event, (raw) => {
        const payload = parsePayload(event, raw, (message) => console.warn(message));
        if (payload) listener(payload);
      });
      unsubscribers.add(off);
      return () => {
        unsubscribers.delete(off);
        off();
      };
    },
    connectionStatus: (): ConnectionStatus => 'connected',
    onConnectionChange: () => () => {},
    dispose() {
      for (const off of unsubscribers) off();
      unsubscribers.clear();
      port?.close();
      port = null;
    },
  };
}
