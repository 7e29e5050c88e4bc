import { failure } from '../../../shared/contract.js';
import type { CommandPty, CommandPtyHost } from './commandPtyHost.js';
import type { HostPtyMessage, WorkerPtyMessage } from './workerProtocol.js';
import { errorMessage } from '../util/errorMessage.js';

interface BridgedPty {
  /** null while the host is still opening it. */
  pty: CommandPty | null;
  /** A kill that came before the pty existed: done as soon as it does. */
  isKillRequested: boolean;
}

/**
 * The host's side of one worker's command ptys: turns the worker's pty messages into calls on
 * the CommandPtyHost, and the ptys' output and exits into messages back. Disposed when the worker
 * is gone: its commands are killed, since they run in the pty host and would outlive it.
 */
export class CommandPtyBridge {
  private readonly ptys = new Map<string, BridgedPty>();
  private isDisposed = false;

  constructor(
    private readonly opts: {
      /** null: this host opens no ptys; every request is answered with pty_failed. */
      host: CommandPtyHost | null;
      send: (message: HostPtyMessage) => void;
    },
  ) {}

  handle(message: WorkerPtyMessage): void {
    switch (message.type) {
      case 'pty_open': {
        const { type: _type, ptyId, ...request } = message;
        void this.open(ptyId, request);
        return;
      }
      case 'pty_ack':
        this.ptys.get(message.ptyId)?.pty?.ack(message.chars);
        return;
      case 'pty_kill': {
        const bridged = this.ptys.get(message.ptyId);
        if (!bridged) return;
        if (bridged.pty) bridged.pty.kill();
        else bridged.isKillRequested = true;
        return;
      }
    }
  }

  /** Kills every command still running (each reports its exit as usual) and opens no more. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const bridged of this.ptys.values()) {
      if (bridged.pty) bridged.pty.kill();
      else bridged.isKillRequested = true;
    }
  }

  private async open(ptyId: string, request: Omit<Extract<WorkerPtyMessage, { type: 'pty_open' }>, 'type' | 'ptyId'>): Promise<void> {
    const { host, send } = this.opts;
    if (this.isDisposed) return;
    if (!host) return send({ type: 'pty_failed', ptyId, reason: 'this host opens no terminals for commands' });
    if (this.ptys.has(ptyId)) return send({ type: 'pty_failed', ptyId, reason: `pty ${ptyId} is already open` });
    const bridged: BridgedPty = { pty: null, isKillRequested: false };
    this.ptys.set(ptyId, bridged);
    let opened: Awaited<ReturnType<CommandPtyHost['open']>>;
    try {
      opened = await host.open(request, {
        onData: (data) => send({ type: 'pty_output', ptyId, data }),
        onExit: (exit) => {
          this.ptys.delete(ptyId);
          send({ type: 'pty_exit', ptyId, ...exit });
        },
      });
    } catch (error) {
      opened = failure('invalid_state', errorMessage(error));
    }
    if (!opened.ok) {
      this.ptys.delete(ptyId);
      return send({ type: 'pty_failed', ptyId, reason: opened.message });
    }
    // Output may already have been forwarded: the worker takes it whether or not it knows the pid.
    send({ type: 'pty_opened', ptyId, pid: opened.pty.pid });
    bridged.pty = opened.pty;
    if (bridged.isKillRequested) opened.pty.kill();
  }
}
