/**
 * A line in progress longer than this (chars) is let out as it is: a program that prints
 * megabytes without a newline must still reach the output cap (which counts what comes out
 * here), and memory stays bounded. 16 Ki chars is far wider than any progress bar.
 */
const MAX_LINE_CHARS = 16 * 1024;

type State =
  /** Ordinary text and C0 controls. */
  | 'text'
  /** After ESC. */
  | 'escape'
  /** ESC followed by intermediates (0x20–0x2F, e.g. `ESC ( B`), until a final byte. */
  | 'escapeIntermediate'
  /** A control sequence (`ESC [` or C1 CSI): parameters until a final byte 0x40–0x7E. */
  | 'csi'
  /** OSC, DCS, SOS, PM, APC: a string until BEL or ST (`ESC \` or C1 ST). */
  | 'string'
  /** ESC inside a string: `\` ends it, anything else starts a new sequence. */
  | 'stringEscape';

const ESC = 0x1b;
const BEL = 0x07;
/** CAN and SUB cancel a sequence in progress. */
const CAN = 0x18;
const SUB = 0x1a;
/** What a run of plain text stops at: C0 controls, DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const SPECIAL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Turns the raw output of a terminal program into the plain text a model and a transcript read:
 * escape sequences (colours, cursor moves, titles, hyperlinks) removed, `\r\n` → `\n`, and a line
 * rewritten with `\r` (a progress bar, a spinner) kept only in its last version.
 *
 * It is fed chunk by chunk as they arrive, and a sequence or a `\r\n` split across two chunks
 * is handled. Complete lines come out at once; the line in progress is held back (it may still
 * be rewritten) until its newline, or until `end()`.
 */
export class PlainTerminalText {
  private state: State = 'text';
  /** The line in progress and where the next character goes (a backspace moves it left). */
  private line = '';
  private cursor = 0;
  /** A `\r` was seen: a newline next ends the line; text next starts its new version. */
  private isReturnPending = false;
  private out: string[] = [];

  /** Feeds one chunk; returns the text completed by it (possibly ''). */
  push(chunk: string): string {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'text') {
        SPECIAL.lastIndex = i;
        const match = SPECIAL.exec(chunk);
        const runEnd = match ? match.index : chunk.length;
        if (runEnd > i) this.write(chunk.slice(i, runEnd));
        if (!match) break;
        this.text(chunk.charCodeAt(runEnd));
        i = runEnd + 1;
      } else {
        this.sequence(chunk.charCodeAt(i));
        i += 1;
      }
    }
    return this.take();
  }

  /** The output is over: lets out the line in progress, and forgets any unfinished sequence. */
  end(): string {
    if (this.line !== '') this.out.push(this.line);
    this.line = '';
    this.cursor = 0;
    this.isReturnPending = false;
    this.state = 'text';
    return this.take();
  }

  private take(): string {
    if (this.out.length === 0) return '';
    const text = this.out.join('');
    this.out = [];
    return text;
  }

  /** Printable text at the cursor: appended, or over what a backspace or `\r` left behind. */
  private write(text: string): void {
    if (this.isReturnPending) {
      // The line is being redrawn: only its new version counts.
      this.isReturnPending = false;
      this.line = '';
      this.cursor = 0;
    }
    if (this.cursor === this.line.length) {
      this.line += text;
    } else {
      this.line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor + text.length);
    }
    this.cursor += text.length;
    if (this.line.length >= MAX_LINE_CHARS) {
      this.out.push(this.line);
      this.line = '';
      this.cursor = 0;
    }
  }

  /** A control character in text. */
  private text(code: number): void {
    switch (code) {
      case 0x0a: // \n, with or without the \r a pty puts before it
        this.out.push(this.line, '\n');
        this.line = '';
        this.cursor = 0;
        this.isReturnPending = false;
        return;
      case 0x0d:
        this.isReturnPending = true;
        return;
      case 0x08: // backspace: the next character overwrites
        if (!this.isReturnPending) this.cursor = Math.max(0, this.cursor - 1);
        return;
      case 0x09:
        this.write('\t');
        return;
      case ESC:
        this.state = 'escape';
        return;
      case 0x9b:
        this.state = 'csi';
        return;
      case 0x90: // DCS
      case 0x98: // SOS
      case 0x9d: // OSC
      case 0x9e: // PM
      case 0x9f: // APC
        this.state = 'string';
        return;
      default:
        // BEL, shift-in/out, NUL, DEL and the other C0/C1 controls show nothing.
        return;
    }
  }

  /** One character inside an escape sequence. */
  private sequence(code: number): void {
    switch (this.state) {
      case 'escape':
        if (code === 0x5b) this.state = 'csi'; // [
        else if (code === 0x5d || code === 0x50 || code === 0x58 || code === 0x5e || code === 0x5f) this.state = 'string'; // ] P X ^ _
        else if (code >= 0x20 && code <= 0x2f) this.state = 'escapeIntermediate';
        else if (code === ESC) this.state = 'escape';
        else this.state = 'text'; // a final byte (ESC 7, ESC M, …), CAN/SUB, or garbage
        return;
      case 'escapeIntermediate':
        if (code >= 0x20 && code <= 0x2f) return;
        this.state = code === ESC ? 'escape' : 'text';
        return;
      case 'csi':
        if (code >= 0x40 && code <= 0x7e) this.state = 'text';
        else if (code === ESC) this.state = 'escape';
        else if (code === CAN || code === SUB) this.state = 'text';
        // A terminal executes C0 controls met inside a sequence, and so do we.
        else if (code < 0x20) this.text(code);
        return;
      case 'string':
        if (code === BEL || code === 0x9c || code === CAN || code === SUB) this.state = 'text';
        else if (code === ESC) this.state = 'stringEscape';
        return;
      case 'stringEscape':
        if (code === 0x5c) {
          this.state = 'text'; // ST: ESC \
        } else {
          // Not a terminator: the string ended and a new sequence begins with this ESC.
          this.state = 'escape';
          this.sequence(code);
        }
        return;
      case 'text':
        return;
    }
  }
}
