import type { UiClient } from './uiClient.js';
import { createIpcClient } from './ipcClient.js';
import { listenForTerminalPort } from './terminalPort.js';
import { browserSocketFactory, createWsClient } from './wsClient.js';
import './bridge.js';

/** The address of the contract socket on the page's own host (auth is the HttpOnly cookie). */
export function wsUrlFor(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/ws`;
}

/** Electron's preload bridge when present, else the headless host's WebSocket. */
export function createClient(): UiClient {
  if (window.flotilla) return createIpcClient(window.flotilla, (accept) => listenForTerminalPort(window, accept));
  return createWsClient({ url: wsUrlFor(window.location), createSocket: browserSocketFactory });
}
