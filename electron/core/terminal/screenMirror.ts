/**
 * What a terminal session needs from the headless xterm that mirrors its screen, wherever that
 * xterm runs (this thread: HeadlessMirror; the mirror worker: RemoteMirror).
 */
export interface ScreenMirror {
  /** Chars (UTF-16 code units) written so far. */
  readonly writtenChars: number;
  /** Chars parsed so far: never more than `writtenChars`. */
  readonly parsedChars: number;
  /** Queues a chunk; returns at once (parsing happens later, elsewhere or in slices). */
  write(chunk: string): void;
  /** Resizes at this point of the stream. */
  resize(cols: number, rows: number): void;
  /**
   * Calls `onSnapshot` with a string that rebuilds screen and scrollback of everything written
   * so far, at a moment when no chunk can be written in between: a viewer registered inside the
   * callback gets exactly the chunks written after it. Called with '' once disposed.
   */
  takeSnapshot(onSnapshot: (snapshot: string) => void): void;
  dispose(): void;
}

export interface ScreenMirrorOptions {
  cols: number;
  rows: number;
  /** Lines kept above the screen. */
  scrollback: number;
  /** After each written chunk has been parsed: `parsedChars` has grown. */
  onDidParse?: () => void;
}

/** 10 000 lines: about 1 MB of plain text per terminal, enough to scroll back through a build log. */
export const DEFAULT_SCROLLBACK_LINES = 10_000;

export type CreateScreenMirror = (opts: ScreenMirrorOptions) => ScreenMirror;
