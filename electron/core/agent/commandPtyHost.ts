import type { Failure } from '../../../shared/contract.js';
import type { PtyExit, PtyOpenRequest } from './workerProtocol.js';

/** Where a command pty's output and end go (the runner forwards them to the worker). */
export interface CommandPtySink {
  /** Raw output, in order. Acknowledge it with `CommandPty.ack` once taken in. */
  onData(chunk: string): void;
  /** Once, after the last output. */
  onExit(exit: PtyExit): void;
}

/** A running command pty, as its opener holds it. */
export interface CommandPty {
  readonly pid: number;
  /** `chars` more chars of output were taken in by the worker. */
  ack(chars: number): void;
  /** Ends the command and its process group. The exit is reported as usual. */
  kill(): void;
}

/**
 * What the host offers an agent turn: ptys for its commands, opened in the pty host (never in
 * the host itself) and shown in the task's Agent terminal. The worker decides what runs (the
 * sandboxed launch); the host only starts it, as the worker could itself: no new power.
 */
export interface CommandPtyHost {
  open(request: PtyOpenRequest, sink: CommandPtySink): Promise<{ ok: true; pty: CommandPty } | Failure>;
}
