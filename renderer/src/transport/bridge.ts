/**
 * What the Electron preload exposes as `window.flotilla`. The preload refuses names that
 * are not in the contract; we still parse every output and payload (defence in depth).
 */
export interface FlotillaBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    flotilla?: FlotillaBridge;
  }
}
