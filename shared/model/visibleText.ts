import { UNSAFE_CHAR_SOURCE } from './inertText.js';

/**
 * The UI's counterpart of `inertText`: the same characters (controls, bidi overrides, invisible
 * format characters; see inertText.ts), shown as visible marks instead of JSON escapes. React
 * never interprets an escape sequence, but a bidi override still reorders what the user reads
 * (an approval's command can look like another command) and a control character shows as
 * nothing at all.
 *
 * - C0 controls and DEL are named by their ASCII abbreviation: ⟨ESC⟩, ⟨BEL⟩, ⟨CR⟩, ⟨BS⟩, ⟨DEL⟩;
 * - everything else by its code point: ⟨U+202E⟩, ⟨U+009B⟩, ⟨U+E0041⟩;
 * - line breaks stay: `\n`, and `\r\n` (a pty's line end) shows as `\n`; `\t` stays.
 *
 * Why names and not the Unicode Control Pictures (␛ ␇ ␍): many fonts lack those (Debian's
 * Chromium with DejaVu draws empty boxes), and a mark nobody can read hides the character
 * again. Like `inertText`, a mark is not reversible: a model can type `⟨ESC⟩` itself. The point
 * is that nothing is hidden and nothing acts; InertText also sets marks apart by their style.
 */

/** One run of the text: as it was, or the mark standing for one hidden character. */
export type VisiblePart = { kind: 'text'; text: string } | { kind: 'mark'; text: string; codePoint: number };

/** What visibleParts splits on: a CRLF (kept as a line break) or one unsafe character. */
const SPLIT = new RegExp(`\\r\\n|${UNSAFE_CHAR_SOURCE}`, 'g');
/** The same without `g`: `test` then keeps no state between calls. */
const HAS_SPLIT = new RegExp(SPLIT.source);
/** The ASCII names of the C0 controls, by code. */
const C0_NAMES = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI',
  'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
];
const DEL = 0x7f;

/** The text in runs, each hidden character its own mark. Plain text gives one part (or none for ''). */
export function visibleParts(text: string): VisiblePart[] {
  const parts: VisiblePart[] = [];
  let from = 0;
  let pending = '';
  for (const match of text.matchAll(SPLIT)) {
    const at = match.index;
    pending += text.slice(from, at);
    from = at + match[0].length;
    if (match[0] === '\r\n') {
      pending += '\n';
      continue;
    }
    if (pending !== '') parts.push({ kind: 'text', text: pending });
    pending = '';
    // A lone surrogate has no code point of its own: codePointAt gives the unit, as wanted.
    const codePoint = match[0].codePointAt(0) ?? 0;
    parts.push({ kind: 'mark', text: markFor(codePoint), codePoint });
  }
  pending += text.slice(from);
  if (pending !== '') parts.push({ kind: 'text', text: pending });
  return parts;
}

/** The text as one string with the marks in place: for titles, tooltips and accessible names. */
export function visibleText(text: string): string {
  // The common case, text with nothing hidden, costs one scan and no allocation.
  if (!HAS_SPLIT.test(text)) return text;
  return visibleParts(text)
    .map((part) => part.text)
    .join('');
}

/** `⟨ESC⟩` for ESC, `⟨U+202E⟩` for a bidi override. */
export function markFor(codePoint: number): string {
  const name = codePoint === DEL ? 'DEL' : (C0_NAMES[codePoint] ?? codePointName(codePoint));
  return `⟨${name}⟩`;
}

/** "U+001B", for a mark's tooltip. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
