import { decodeTerminalFrame, encodeTerminalFrame, type TerminalFrame } from '../../../shared/contracts/wire.js';

/** Client → host frames: what a terminal view may send. */
export type OutgoingTerminalFrame = Exclude<TerminalFrame, { type: 'output' }>;

/**
 * The binary side of the link to the host: terminal output by session, and frames out.
 * Terminal bytes go straight from here to the xterm that subscribed: never into zustand.
 */
export interface TerminalLink {
  /** One subscriber per session (the visible view); a second replaces the first. */
  onOutput(sessionId: string, listener: (data: string) => void): () => void;
  send(frame: OutgoingTerminalFrame): void;
}

/**
 * Routes decoded frames to subscribers. Output for a session nobody shows (its view was hidden
 * or closed while frames were in flight) is acked at once and dropped: un-acked output would
 * pause that pty on the host, and the next attach brings a fresh snapshot anyway.
 */
export class TerminalRouter implements TerminalLink {
  private readonly listeners = new Map<string, (data: string) => void>();

  /** `sendBytes` drops the frame when the link is down: a re-attach after reconnect starts over. */
  constructor(private readonly sendBytes: (bytes: Uint8Array) => void) {}

  onOutput(sessionId: string, listener: (data: string) => void): () => void {
    this.listeners.set(sessionId, listener);
    return () => {
      if (this.listeners.get(sessionId) === listener) this.listeners.delete(sessionId);
    };
  }

  send(frame: OutgoingTerminalFrame): void {
    this.sendBytes(encodeTerminalFrame(frame));
  }

  /** One binary message from the host. */
  dispatch(bytes: Uint8Array): void {
    const frame = decodeTerminalFrame(bytes);
    if (frame?.type !== 'output') return;
    const listener = this.listeners.get(frame.sessionId);
    if (listener) listener(frame.data);
    else if (frame.data.length > 0) this.send({ type: 'ack', sessionId: frame.sessionId, chars: frame.data.length });
  }
}
