import { TOKEN_KIND, type SecretRedactor } from './redactSecrets.js';
import { MASK } from './secretRules.js';

/** A chunk of a stream and when it arrived (ms since the epoch). */
export interface TimedText {
  at: number;
  data: string;
}

/**
 * Redacts a stream that arrives in chunks (terminal output, typed input), where a secret can
 * be split across two chunks: `ghp_ab` now, `cd…` 5 ms later, or one keystroke's echo at a
 * time. It holds back the tail that could still be the start of a secret and releases the rest
 * at once, each chunk with its own arrival time, so a recording's timing stays exact; only a
 * span that held a secret is written as one chunk (at the time of its last piece).
 *
 * What is held back (the rest of the stream is never held):
 * - an unterminated private key block (`-----BEGIN … PRIVATE KEY` without its END yet);
 * - the current line, while it holds a keyword a rule keys on (`Authorization`, `password`,
 *   `token`, …): its value may still be coming;
 * - the trailing run of token characters (`ghp_abc…`, `eyJ….`): the token may go on;
 * - a tail that is the start of one of the user's extra secrets.
 * A held tail is released once a later chunk ends it (a space, a newline, an END line) or
 * when the stream ends. Past `maxHeldChars` it is released anyway (redacted as it stands):
 * a 64 KB unbroken token is not a secret any rule knows.
 */
export class StreamRedactor {
  private held: TimedText[] = [];
  private heldLength = 0;
  /**
   * The end of what was released, redacted again with what follows so a rule that looks back
   * (a token must not follow a letter, unless an escape sequence ends there: `ESC[?25h` then
   * `sk-proj-…`) sees it. 64 chars: longer than any escape sequence a rule looks back over.
   */
  private context = '';

  constructor(
    private readonly redactor: SecretRedactor,
    private readonly maxHeldChars = 64 * 1024,
  ) {}

  /** Chars held back, waiting for the chunk that ends them. */
  get heldChars(): number {
    return this.heldLength;
  }

  /** Adds a chunk; returns what can be written now, redacted, in order. */
  push(at: number, data: string): TimedText[] {
    if (data.length === 0) return [];
    this.held.push({ at, data });
    this.heldLength += data.length;
    const text = this.held.map((piece) => piece.data).join('');
    const cut = this.heldLength > this.maxHeldChars ? text.length : this.safeCut(text);
    return cut === 0 ? [] : this.release(text, cut);
  }

  /**
   * Everything held, redacted (the stream ended). A stream cut off inside a token (an output
   * cap, a stop) ends with a fragment too short for its rule: one that starts like a token of a
   * known kind (`ghp_ab`) is masked all the same.
   */
  flush(): TimedText[] {
    if (this.held.length === 0) return [];
    const text = this.held.map((piece) => piece.data).join('');
    const fragment = text.length - trailingTokenLength(text);
    const kind = TOKEN_KIND.exec(text.slice(fragment))?.[0];
    if (kind && text.length - fragment > kind.length) {
      const last = this.held[this.held.length - 1];
      const out = this.release(text, fragment);
      this.held = [];
      this.heldLength = 0;
      return [...out, { at: last?.at ?? 0, data: `${kind}${MASK}` }];
    }
    return this.release(text, text.length);
  }

  /** Where the part that cannot hold the start of an unfinished secret ends. */
  private safeCut(text: string): number {
    let cut = text.length;
    const begin = text.lastIndexOf('-----BEGIN');
    if (begin >= 0 && !text.includes('-----END', begin)) cut = begin;
    const lineStart = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1;
    if (KEYWORD.test(text.slice(lineStart))) cut = Math.min(cut, lineStart);
    cut = Math.min(cut, text.length - trailingTokenLength(text));
    cut = Math.min(cut, text.length - this.redactor.endsWithExtraSecretPrefix(text));
    return Math.max(cut, 0);
  }

  private redactWithContext(released: string): string {
    if (this.context === '') return this.redactor.redact(released);
    const withContext = this.redactor.redact(this.context + released);
    // The context was released as it stands, so a redaction never starts in it; if one did
    // (it cannot: the cut is never inside a possible secret), redact the new part alone.
    return withContext.startsWith(this.context) ? withContext.slice(this.context.length) : this.redactor.redact(released);
  }

  private release(text: string, cut: number): TimedText[] {
    const released = text.slice(0, cut);
    const redacted = this.redactWithContext(released);
    this.context = (this.context + released).slice(-CONTEXT_CHARS);
    // Pieces before the first change keep their own times; the rest becomes one piece.
    let same = 0;
    if (redacted === released) same = released.length;
    else while (same < released.length && released[same] === redacted[same]) same++;
    const out: TimedText[] = [];
    let offset = 0;
    let lastAt = this.held[0]?.at ?? 0;
    const rest: TimedText[] = [];
    for (const piece of this.held) {
      const start = offset;
      const end = offset + piece.data.length;
      offset = end;
      if (start >= cut) {
        rest.push(piece);
        continue;
      }
      lastAt = piece.at;
      if (start < same) out.push({ at: piece.at, data: piece.data.slice(0, Math.min(same, end) - start) });
      if (end > cut) rest.push({ at: piece.at, data: piece.data.slice(cut - start) });
    }
    if (same < released.length) out.push({ at: lastAt, data: redacted.slice(same) });
    this.held = rest;
    this.heldLength = rest.reduce((n, piece) => n + piece.data.length, 0);
    return out.filter((piece) => piece.data.length > 0);
  }
}

/** See `StreamRedactor.context`. */
const CONTEXT_CHARS = 64;

/** The keywords of the context rules (authorization-header, password-/secret-assignment). */
const KEYWORD = /authoriz|passw|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential/i;

/** Characters a token-shaped secret is made of (base64, base64url, JWT dots, webhook slashes). */
const TOKEN_CHAR = /[A-Za-z0-9_\-+/=.~]/;

function trailingTokenLength(text: string): number {
  let n = 0;
  while (n < text.length && TOKEN_CHAR.test(text[text.length - 1 - n] ?? '')) n++;
  return n;
}
