import type { Failure } from '../../../shared/contract.js';
import { decodeTerminalFrame, encodeTerminalFrame } from '../../../shared/contracts/wire.js';
import type { Attachment, TerminalService } from './terminalService.js';

export interface TerminalChannelOptions {
  service: TerminalService;
  /** Sends one binary frame to this client (a WebSocket binary message, a MessagePort message). */
  sendFrame: (frame: Uint8Array) => void;
}

interface OutputGate {
  /** False until the client says it has applied the snapshot: output waits in `queued` till then. */
  isReady: boolean;
  queued: string[];
}

interface ChannelAttachment {
  attachment: Attachment;
  gate: OutputGate;
}

/**
 * The terminal side of one client connection: turns the binary frames of
 * shared/contracts/wire.ts into service calls and a session's output into frames. A client
 * can only type into and ack the sessions it attached through this channel. Dispose it when the
 * connection closes, or its un-acked output would hold the ptys paused.
 */
export class TerminalChannel {
  private readonly attachments = new Map<string, ChannelAttachment>();
  private isDisposed = false;

  constructor(private readonly opts: TerminalChannelOptions) {}

  /**
   * Attaches this client to a session (again, if it already was): resolves with the screen to
   * show; output follows as frames once the client sends a `ready` frame for the session.
   */
  async attach(sessionId: string): Promise<{ ok: true; snapshot: string; cols: number; rows: number } | Failure> {
    this.detach(sessionId);
    const gate: OutputGate = { isReady: false, queued: [] };
    const result = await this.opts.service.attach(sessionId, {
      onData: (chunk) => {
        if (gate.isReady) this.sendOutput(sessionId, chunk);
        else gate.queued.push(chunk);
      },
      onExit: () => {},
    });
    if (!result.ok) return result;
    if (this.isDisposed) {
      result.detach();
      return { ok: true, snapshot: result.snapshot, cols: result.cols, rows: result.rows };
    }
    // A second attach of the same session raced this one: the later one wins.
    this.detach(sessionId);
    this.attachments.set(sessionId, { attachment: result, gate });
    return { ok: true, snapshot: result.snapshot, cols: result.cols, rows: result.rows };
  }

  detach(sessionId: string): void {
    const entry = this.attachments.get(sessionId);
    if (!entry) return;
    this.attachments.delete(sessionId);
    entry.attachment.detach();
  }

  /** One binary message from the client. Malformed frames and frames for sessions not attached here are dropped. */
  handleFrame(bytes: Uint8Array): void {
    const frame = decodeTerminalFrame(bytes);
    if (!frame) return;
    const entry = this.attachments.get(frame.sessionId);
    if (!entry) return;
    switch (frame.type) {
      case 'input':
        this.opts.service.write(frame.sessionId, frame.data);
        return;
      case 'ack':
        entry.attachment.ack(frame.chars);
        return;
      case 'ready': {
        const { gate } = entry;
        if (gate.isReady) return;
        gate.isReady = true;
        const queued = gate.queued.join('');
        gate.queued = [];
        if (queued.length > 0) this.sendOutput(frame.sessionId, queued);
        return;
      }
      case 'output':
        return;
    }
  }

  /** Detaches from every session; the sessions keep running. */
  dispose(): void {
    this.isDisposed = true;
    for (const sessionId of [...this.attachments.keys()]) this.detach(sessionId);
  }

  private sendOutput(sessionId: string, data: string): void {
    try {
      this.opts.sendFrame(encodeTerminalFrame({ type: 'output', sessionId, data }));
    } catch (error) {
      // A closed connection: its dispose() is on the way.
      console.error(`flotilla: terminal frame for ${sessionId} not sent:`, error);
    }
  }
}
