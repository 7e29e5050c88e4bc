import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract.js';
import type { FlotillaBridge } from './bridge.js';
import { parseOutput, parsePayload } from './parseContract.js';
import type { ConnectionStatus, UiClient } from './uiClient.js';

/** Electron: the preload bridge is always connected while the window lives. */
export function createIpcClient(bridge: FlotillaBridge): UiClient {
  const unsubscribers = new Set<() => void>();
  return {
    async invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      return parseOutput(method, await bridge.invoke(method, input));
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const off = bridge.on(event, (raw) => {
        const payload = parsePayload(event, raw);
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
    },
  };
}
