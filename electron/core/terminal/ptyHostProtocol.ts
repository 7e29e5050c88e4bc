import { isRecord } from '../util/isRecord.js';

/**
 * The messages between the host and the pty host process (ptyHost.ts), over the fork IPC
 * channel (or an Electron utilityProcess port). One pty host serves every terminal; each pty is
 * named by the host's session id. The pty host is our own code: the guards below catch wiring
 * bugs, they are not a security boundary.
 */

export interface PtySpawnRequest {
  id: string;
  /** The program, resolved through PATH by the pty's exec. */
  file: string;
  args: string[];
  cwd: string;
  /** The whole environment of the program (nothing is inherited from the pty host). */
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export type HostToPtyHost =
  | ({ type: 'spawn' } & PtySpawnRequest)
  | { type: 'write'; id: string; data: string }
  | { type: 'resize'; id: string; cols: number; rows: number }
  /** Hangs up the pty's whole process group, then SIGKILLs what is left after a grace period. */
  | { type: 'kill'; id: string }
  /** `chars` more characters (UTF-16 code units) of output were consumed. */
  | { type: 'ack'; id: string; chars: number };

export type PtyHostToHost =
  | { type: 'spawned'; id: string; pid: number }
  | { type: 'spawn_failed'; id: string; reason: string }
  /** One batch: everything read from the pty in the last few milliseconds, in order. */
  | { type: 'data'; id: string; data: string }
  /** Reading stopped (too much un-acked output) or started again; for diagnostics and tests. */
  | { type: 'flow'; id: string; isPaused: boolean }
  /** Always after the last `data` of that pty. `signal` is the number that ended it, 0 if none. */
  | { type: 'exit'; id: string; exitCode: number; signal: number };

/**
 * 5 ms: one frame is 16 ms, so a busy terminal still gets about three updates per frame, while
 * `yes` (thousands of reads a second) costs at most 200 messages a second per pty.
 */
export const BATCH_INTERVAL_MS = 5;
/**
 * 64 Ki chars: a batch this big is sent at once instead of waiting for the timer, so a fast
 * producer keeps more than one batch in flight inside the flow-control window.
 */
export const BATCH_MAX_CHARS = 64 * 1024;
/**
 * Above this many un-acked chars the pty is paused: the producer blocks on a full pty buffer.
 * 1 M chars (~2 MB in flight at most per session), not VS Code's 100 k: a view that is shown
 * draws a flood in paced batches (renderer/src/features/terminal/pacedWriter.ts, one write per
 * 50 ms) and acks a batch only once xterm has parsed it, so the window must hold ~50 ms of a
 * flood at 20 MB/s or the pty stops and starts every batch. Measured with `npm run bench --
 * terminal`: 100 k / 5 k gave the browser ~4 MB/s, this ~9 (see the bench's notes). Ctrl-C stays
 * prompt: at most this much is still to draw after the program stops.
 */
export const FLOW_HIGH_WATERMARK_CHARS = 1_000_000;
/**
 * A paused pty resumes once the consumer has caught up to below this many un-acked chars. Half
 * the window, not nearly all of it: the pipe (pty host → host → view) refills while the view
 * draws the other half, instead of running dry on every pause.
 */
export const FLOW_LOW_WATERMARK_CHARS = 500_000;

const HOST_TO_PTY_HOST_TYPES: ReadonlySet<string> = new Set<HostToPtyHost['type']>(['spawn', 'write', 'resize', 'kill', 'ack']);
const PTY_HOST_TO_HOST_TYPES: ReadonlySet<string> = new Set<PtyHostToHost['type']>(['spawned', 'spawn_failed', 'data', 'flow', 'exit']);

export function isHostToPtyHost(value: unknown): value is HostToPtyHost {
  return isRecord(value) && typeof value.id === 'string' && typeof value.type === 'string' && HOST_TO_PTY_HOST_TYPES.has(value.type);
}

export function isPtyHostToHost(value: unknown): value is PtyHostToHost {
  return isRecord(value) && typeof value.id === 'string' && typeof value.type === 'string' && PTY_HOST_TO_HOST_TYPES.has(value.type);
}
