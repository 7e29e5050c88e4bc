import { TERMINAL_PORT_CHANNEL } from '../../../shared/contracts/wire.js';

/**
 * Electron: main hands each page a MessagePort for terminal bytes (IPC invoke cannot carry
 * binary streams well). The preload cannot pass a port through contextBridge, so it posts it
 * to the page as a message whose data is the channel's name; only messages from our own
 * window count.
 */
export function listenForTerminalPort(target: Window, onPort: (port: MessagePort) => void): () => void {
  const onMessage = (event: MessageEvent) => {
    if (event.source !== target || event.data !== TERMINAL_PORT_CHANNEL) return;
    const port = event.ports[0];
    if (port) onPort(port);
  };
  target.addEventListener('message', onMessage);
  return () => target.removeEventListener('message', onMessage);
}
