import { formatCommandDuration } from '../../../shared/model/commandDuration.js';

/**
 * The lines the host writes into a task's Agent terminal around each command's own output:
 * a dim `$ command` header and a dim `exit 1 · 2.3 s` line. Each starts with `\r` (or `\r\n`
 * when the command left the cursor mid-line) and resets the colours a command may have left on.
 */

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Hidden between commands (nothing to type into), shown while one runs (it may prompt). */
export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';

/** Starts a host line: at column 0, on a fresh line if the output before it did not end one. */
function lineStart(isAtLineStart: boolean): string {
  return isAtLineStart ? `\r${RESET}` : `\r\n${RESET}`;
}

/**
 * The header of one command. Control characters in the command are shown as symbols, never
 * executed: the command text comes from the model and must not drive the user's terminal.
 */
export function commandHeader(command: string, opts: { isFirst: boolean; isAtLineStart: boolean }): string {
  const lines = visible(command).split('\n');
  const body = lines.map((line, index) => (index === 0 ? `$ ${line}` : `  ${line}`)).join('\r\n');
  // A blank line between one command's end and the next header.
  const gap = opts.isFirst ? '' : '\r\n';
  return `${lineStart(opts.isAtLineStart)}${gap}${DIM}${body}${RESET}\r\n${SHOW_CURSOR}`;
}

export interface CommandEnd {
  exitCode: number | null;
  durationMs: number;
  isKilled: boolean;
}

/** `exit 0 · 1.2 s`, `killed · 10 s`, or, for a command that never ran, `not run`. */
export function exitLine(end: CommandEnd | { notRun: string }, opts: { isAtLineStart: boolean }): string {
  const text = 'notRun' in end ? end.notRun : `${end.isKilled ? 'killed' : `exit ${end.exitCode ?? '?'}`} · ${formatCommandDuration(end.durationMs)}`;
  return `${lineStart(opts.isAtLineStart)}${DIM}${visible(text)}${RESET}\r\n${HIDE_CURSOR}`;
}

/** Text the host shows for a command that did not run on a pty (a refusal, a sandbox error): dim, with `\r\n` line ends. */
export function hostNote(text: string): string {
  return `${DIM}${visible(text).replace(/\n/g, '\r\n')}${RESET}`;
}

/** Tabs and newlines stay; every other control character becomes its visible symbol (␛ for ESC). */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this replaces
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}
