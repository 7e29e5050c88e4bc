/** Lines `start`–`end` (inclusive) of one side of a file: a comment's range, or one being picked. */
export interface LineSpan {
  side: 'new' | 'old';
  start: number;
  end: number;
}

/** 400 lines: past that a tint is one colour band anyway; the style sheet stays small. */
const MAX_MARKED_LINES = 400;

/**
 * The rows that show line `line` of `side` under `scope`, in both of @git-diff-view's layouts:
 * unified rows carry the number as `data-line-new-num` / `data-line-old-num` in their number
 * cell; split layouts draw each side as its own rows (`data-side`) with `data-line-num`.
 */
function rowSelectors(scope: string, side: 'new' | 'old', line: number): string[] {
  const n = Math.trunc(line);
  const prefix = scope ? `${scope} ` : '';
  return [
    `${prefix}tr:has(> td.diff-line-num [data-line-${side}-num="${n}"])`,
    `${prefix}tr[data-side="${side}"]:has(> td.diff-line-${side}-num [data-line-num="${n}"])`,
  ];
}

/** A selector for the row(s) that show one line, for querySelector. */
export function lineRowSelector(scope: string, side: 'new' | 'old', line: number): string {
  return rowSelectors(scope, side, line).join(', ');
}

/** A selector for every cell of the rows of `span` (capped at MAX_MARKED_LINES lines). */
function spanCells(scope: string, span: LineSpan): string {
  const end = Math.min(span.end, span.start + MAX_MARKED_LINES - 1);
  const selectors: string[] = [];
  for (let line = span.start; line <= end; line += 1) selectors.push(...rowSelectors(scope, span.side, line).map((row) => `${row} > td`));
  return selectors.join(',\n');
}

/**
 * A style sheet for one drawn patch (`scope` selects it): `marked` lines tinted, `flashed` lines
 * flashed once. The library colours its cells inline (background-color), so the tint is a
 * background-image laid over it. `flash` alternates the animation so a second jump replays it.
 * '' when there is nothing to mark.
 */
export function lineMarkCss(scope: string, marked: LineSpan | null, flashed: (LineSpan & { flash: number }) | null): string {
  const rules: string[] = [];
  if (marked) rules.push(`${spanCells(scope, marked)} { background-image: linear-gradient(var(--line-mark), var(--line-mark)); }`);
  if (flashed) rules.push(`${spanCells(scope, flashed)} { animation: line-flash-${flashed.flash % 2 === 0 ? 'a' : 'b'} 2s ease-out; }`);
  return rules.join('\n');
}
