/**
 * Which part of a command's output the transcript shows, cut into chunks of lines.
 *
 * A chatty command's output (up to COMMAND_OUTPUT_VIEW_LIMIT, 200 k characters) laid out again
 * on every update made the open task view drop most of its frames. So the block shows the tail
 * (the last TAIL_LINES lines, at most TAIL_CHARS characters) unless the user asks for all of it,
 * and the lines are grouped into chunks of CHUNK_LINES keyed by their absolute line number: a
 * chunk that is full never changes, so neither React nor the browser touches it again; only the
 * last, open chunk grows.
 *
 * Lines: "a\nb" and "a\nb\n" are both two lines; each chunk's text keeps its lines' newlines.
 * Absolute line numbers count from the command's first output line, including lines the view
 * limit has already dropped from the front (`receivedNewlines` says how many newlines arrived).
 */

/** Lines shown while following the output: about ten screens of the 320 px block. */
export const TAIL_LINES = 200;
/** Lines per chunk: small enough that the open chunk is cheap to lay out, large enough for few nodes. */
export const CHUNK_LINES = 50;
/** 20 k characters: the tail of a command that prints long lines (or none: progress bars) stays this small. */
export const TAIL_CHARS = 20_000;

/** Which lines to show: the tail, everything kept, or everything from an absolute line on (frozen while the user reads). */
export type WindowStart = { kind: 'tail' } | { kind: 'all' } | { kind: 'from'; line: number };

export interface OutputChunk {
  /** Absolute number of the chunk's first line slot (a multiple of CHUNK_LINES): stable while output grows. */
  key: number;
  text: string;
}

export interface OutputWindow {
  chunks: OutputChunk[];
  /** Absolute number of the first line shown (the one `{ kind: 'from' }` keeps while the user reads). */
  startLine: number;
  /** Lines in the kept output: what "Show all" shows. */
  keptLines: number;
  /** Kept lines not shown above the window. */
  hiddenLines: number;
  /** Lines the view limit dropped from the front: only the task log still has them. */
  droppedLines: number;
  /** The first line shown is cut at its start: the tail's TAIL_CHARS fell inside it. */
  startsMidLine: boolean;
}

/**
 * `output` is the kept tail of the command's output; `receivedNewlines` the number of newlines
 * in everything it printed (at least those in `output`). Pure; O(length of output).
 */
export function outputWindow(output: string, receivedNewlines: number, start: WindowStart): OutputWindow {
  // Offsets where each kept line starts; the first may start in the middle of a dropped line.
  const lineStarts = [0];
  for (let i = output.indexOf('\n'); i !== -1 && i + 1 < output.length; i = output.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  if (output === '') return { chunks: [], startLine: 0, keptLines: 0, hiddenLines: 0, droppedLines: 0, startsMidLine: false };
  const keptLines = lineStarts.length;
  const keptNewlines = keptLines - 1 + (output.endsWith('\n') ? 1 : 0);
  // Newlines before the kept output: the absolute number of its first line.
  const firstLine = Math.max(0, receivedNewlines - keptNewlines);
  const endLine = firstLine + keptLines;
  const offsetOf = (line: number) => lineStarts[line - firstLine] ?? 0;

  let startLine: number;
  let startOffset: number;
  if (start.kind === 'tail') {
    // Down to a chunk boundary, so the first chunk shown is a full one that never changes.
    startLine = Math.max(firstLine, Math.floor(Math.max(0, endLine - TAIL_LINES) / CHUNK_LINES) * CHUNK_LINES);
    // Long lines: drop whole chunks from the top while over TAIL_CHARS, then lines, then cut the last line.
    while (output.length - offsetOf(startLine) > TAIL_CHARS && nextChunk(startLine) < endLine) startLine = nextChunk(startLine);
    while (output.length - offsetOf(startLine) > TAIL_CHARS && startLine + 1 < endLine) startLine += 1;
    startOffset = Math.max(offsetOf(startLine), output.length - TAIL_CHARS);
  } else {
    startLine = start.kind === 'all' ? firstLine : Math.min(Math.max(start.line, firstLine), Math.max(firstLine, endLine - 1));
    startOffset = offsetOf(startLine);
  }

  const chunks: OutputChunk[] = [];
  for (let key = Math.floor(startLine / CHUNK_LINES) * CHUNK_LINES; key < endLine; key += CHUNK_LINES) {
    const from = key <= startLine ? startOffset : offsetOf(key);
    const to = key + CHUNK_LINES < endLine ? offsetOf(key + CHUNK_LINES) : output.length;
    chunks.push({ key, text: output.slice(from, to) });
  }
  return {
    chunks,
    startLine,
    keptLines,
    hiddenLines: startLine - firstLine,
    droppedLines: firstLine,
    startsMidLine: startOffset > offsetOf(startLine),
  };
}

/** `text` cut after each newline: "a\nb\n" → ["a\n", "b\n"], "a\nb" → ["a\n", "b"]. */
export function outputLines(text: string): string[] {
  const lines: string[] = [];
  let from = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', from)) {
    lines.push(text.slice(from, i + 1));
    from = i + 1;
  }
  if (from < text.length) lines.push(text.slice(from));
  return lines;
}

export function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The chunk boundary after `line`. */
function nextChunk(line: number): number {
  return (Math.floor(line / CHUNK_LINES) + 1) * CHUNK_LINES;
}
