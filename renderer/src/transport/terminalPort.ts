/**
 * Electron: main hands each page a MessagePort for terminal bytes (IPC invoke cannot carry
 * binary streams well). The preload cannot pass a port through contextBridge, so it posts it
 * to the page with this message; only messages from our own window count.
 */
export const TERMINAL_PORT_MESSAGE = 'flotilla:terminal-port';

export function listenForTerminalPort(target: Window, onPort: (port: MessagePort) => void): () => void {
  const onMessage = (event: MessageEvent) => {
    if (event.source !== target || event.data !== TERMINAL_PORT_MESSAGE) return;
    const port = event.ports[0];
    if (port) onPort(port);
  };
  target.addEventListener('message', onMessage);
  return () => target.removeEventListener('message', onMessage);
}

/** A MessagePort message as bytes, whichever view type the sender used. */
export function bytesOf(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}
