/**
 * Messages between the host's main thread and the mirror worker (mirrorWorker.ts), which runs
 * the headless xterm of every session. Positions are chars (UTF-16 code units) since the mirror
 * was opened.
 */

export type ToMirrorWorker =
  | { type: 'open'; id: number; cols: number; rows: number; scrollback: number }
  | { type: 'write'; id: number; data: string }
  | { type: 'resize'; id: number; cols: number; rows: number }
  | { type: 'snapshot'; id: number; request: number }
  | { type: 'close'; id: number };

export type FromMirrorWorker =
  /** Progress, at most once per turn of the worker's event loop, in order with the snapshot replies. */
  | { type: 'parsed'; id: number; parsedChars: number }
  /** `data` rebuilds everything written up to `upTo`. */
  | { type: 'snapshot'; id: number; request: number; data: string; upTo: number };
