/**
 * Text the model or an agent controls (messages, command lines, output, reasons, titles, file
 * names) made inert before a terminal prints it: a character that a terminal acts on, or that
 * hides or reorders what the reader sees, becomes a visible `\uXXXX` escape.
 *
 * Escaped:
 * - C0 controls but `\n` and `\t` (ESC starts every escape sequence, BEL ends an OSC title,
 *   `\r` and backspace overwrite what was printed), DEL, and the C1 controls U+0080–U+009F
 *   (some terminals act on 8-bit CSI U+009B and OSC U+009D);
 * - bidi controls, which reorder the text around them ("Trojan source"): U+061C, U+200E,
 *   U+200F, U+202A–U+202E, U+2066–U+2069;
 * - invisible format characters that hide text or split lines unseen: soft hyphen U+00AD,
 *   U+180E, zero-width space U+200B, the line and paragraph separators U+2028/U+2029,
 *   U+2060–U+206F, BOM U+FEFF, U+FFF9–U+FFFB, and the tag characters U+E0000–U+E007F
 *   (invisible ASCII, used to smuggle hidden instructions);
 * - lone surrogates (they would print as U+FFFD and hide what was there).
 *
 * Left alone: everything else, including U+200C/U+200D (ZWNJ/ZWJ: Persian and Indic text and
 * emoji such as 👩‍💻 need them; they join or part glyphs and can neither move nor hide text).
 *
 * Why `\uXXXX`: the same function is safe on JSON text. Outside strings JSON has no such
 * characters, and inside a string `\u001b` is a valid escape that decodes to the very
 * character it replaced, so `--json` output parses to exactly the original text. Astral
 * characters (tags) are written as their surrogate pair, `\udb40\udc41`, for the same reason.
 *
 * Behaviour worth knowing: the result contains none of the characters it escapes, so applying
 * it twice changes nothing (and `inertLine(inertText(s)) === inertLine(s)`). For a human reader
 * it is not reversible: a model that writes the six characters `\u001b` prints the same as one
 * that wrote ESC. That is the point: both are shown, neither acts.
 */

/** C0 without `\t` (U+0009) and `\n` (U+000A), DEL, C1. */
const CONTROLS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f';
/** Bidi controls and invisible format characters (see the list above). */
const FORMAT = '\\u00ad\\u061c\\u180e\\u200b\\u200e\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
/** Tag characters U+E0000–U+E007F: high surrogate U+DB40, low U+DC00–U+DC7F. */
const TAGS = '\\udb40[\\udc00-\\udc7f]';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

/**
 * One character (or one tag's surrogate pair) that `inertText` escapes, as regex source: the
 * UI's `visibleText` shows the same set. A source, not a RegExp: a shared `g` regex carries
 * `lastIndex` from one caller to the next.
 */
export const UNSAFE_CHAR_SOURCE = `[${CONTROLS}${FORMAT}]|${TAGS}|${LONE_SURROGATE}`;
const UNSAFE_CHAR = new RegExp(UNSAFE_CHAR_SOURCE, 'g');
/** The same, plus `\n` and `\t`: for text that must stay on one line. */
const UNSAFE_IN_LINE = new RegExp(`[\\t\\n]|${UNSAFE_CHAR_SOURCE}`, 'g');

/** Multi-line text (a message, a transcript, JSON): keeps `\n` and `\t`, escapes the rest. */
export function inertText(text: string): string {
  return text.replace(UNSAFE_CHAR, escapeUnits);
}

/**
 * One-line fields (a table cell, a title, a branch, a path, a status reason): also escapes
 * `\n` and `\t`, so a value can neither break its row nor start a forged one.
 */
export function inertLine(text: string): string {
  return text.replace(UNSAFE_IN_LINE, escapeUnits);
}

/** Each UTF-16 unit as `\uXXXX`, lower-case hex as JSON.stringify writes it. */
function escapeUnits(match: string): string {
  let escaped = '';
  for (let i = 0; i < match.length; i++) escaped += `\\u${match.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return escaped;
}
