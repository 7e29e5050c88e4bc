/**
 * The comment being written in a file's diff: the line its range started on (`anchor`), the
 * range, and the line whose composer is open (`at`, the line last clicked).
 */
export interface CommentDraft {
  path: string;
  anchor: number;
  start: number;
  end: number;
  at: number;
}

/**
 * The draft after a click on line `line` of `path`: with Shift (`extend`) in the same file, the
 * range from the first line clicked to this one (either direction); otherwise a new one-line draft.
 */
export function nextDraft(previous: CommentDraft | null, path: string, line: number, extend: boolean): CommentDraft {
  if (extend && previous && previous.path === path) {
    return { path, anchor: previous.anchor, start: Math.min(previous.anchor, line), end: Math.max(previous.anchor, line), at: line };
  }
  return { path, anchor: line, start: line, end: line, at: line };
}
