import type { RecordingStart, TerminalRecorder } from './terminalRecorder.js';

export interface TerminalTapOptions {
  /** Records every session (output, input, resizes) to its own file, which the journal refers to. */
  recorder?: TerminalRecorder;
  /** Every output chunk, in order, for the journal (which stores it by reference). */
  onOutputForJournal?: (sessionId: string, chunk: string) => void;
  /** Every input written to a pty, in order, for the journal. */
  onInputForJournal?: (sessionId: string, data: string) => void;
}

/**
 * Where a terminal's traffic is copied besides its viewers: the session's recording file and the
 * journal's hooks. Output and input are called on the hot path, so each is a cheap call that
 * queues (the recorder writes off the hot path).
 */
export class TerminalTap {
  constructor(private readonly opts: TerminalTapOptions) {}

  started(sessionId: string, start: RecordingStart): void {
    this.opts.recorder?.start(sessionId, start);
  }

  /** An arrow so sessions can take it as their `onOutputForJournal`. */
  readonly output = (sessionId: string, chunk: string): void => {
    this.opts.recorder?.output(sessionId, chunk);
    this.opts.onOutputForJournal?.(sessionId, chunk);
  };

  input(sessionId: string, data: string): void {
    this.opts.recorder?.input(sessionId, data);
    this.opts.onInputForJournal?.(sessionId, data);
  }

  resized(sessionId: string, cols: number, rows: number): void {
    this.opts.recorder?.resize(sessionId, cols, rows);
  }

  /** The session's program ended or it was closed; the recording's file is finished in the background. */
  ended(sessionId: string): void {
    void this.opts.recorder?.end(sessionId);
  }
}
