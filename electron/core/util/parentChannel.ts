/**
 * A helper process's side of its ChildConnection (see childConnection.ts): Electron's
 * `process.parentPort` in a utility process, Node's IPC channel (`process.send`) in a forked
 * child. Both structured-clone, so the same protocol objects arrive either way.
 */
export interface ParentChannel {
  /** Resolves once the message has left this process (or could not: the host is gone). */
  send(message: unknown): Promise<void>;
  onMessage(listener: (message: unknown) => void): void;
  /**
   * The host went away. Node IPC only: a utility process has no such event, Electron ends it
   * together with the app.
   */
  onDisconnect(listener: () => void): void;
}

/** The part of Electron's `process.parentPort` used here (electron/core must not import electron). */
interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/** This process's channel to the host, or null when it was started without one. */
export function parentChannel(): ParentChannel | null {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send(message) {
        parentPort.postMessage(message);
        // postMessage has no callback; the message is queued to the host's port once it returns.
        return new Promise((resolve) => setImmediate(resolve));
      },
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      onDisconnect: () => {},
    };
  }
  if (!process.send) return null;
  return {
    send(message) {
      if (!process.connected || !process.send) return Promise.resolve();
      return new Promise((resolve) => {
        // The callback fires once the message is written (or failed: the host is gone).
        process.send?.(message, undefined, undefined, () => resolve());
      });
    },
    onMessage: (listener) => process.on('message', listener),
    onDisconnect: (listener) => process.on('disconnect', listener),
  };
}
