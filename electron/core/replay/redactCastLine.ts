import { redactStrings } from '../redaction/redactSecrets.js';

/** A redactor of secrets in text (electron/core/redaction): shape-keeping and idempotent. */
export type Redact = (text: string) => string;

/**
 * One line of an asciicast recording with its text redacted: an event's data (`[t, "o", data]`)
 * or the header's strings. A line redaction leaves unchanged is returned as it was, byte for
 * byte, so a recording redacted at record time goes through an export and an import unchanged.
 */
export function redactCastLine(line: string, redact: Redact): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return redact(line);
  }
  if (Array.isArray(parsed)) {
    const data: unknown = parsed[2];
    if (typeof data !== 'string') return line;
    const clean = redact(data);
    return clean === data ? line : JSON.stringify([parsed[0], parsed[1], clean, ...parsed.slice(3)]);
  }
  // redactStrings returns the same object when nothing changed.
  const clean = redactStrings(parsed, redact);
  return clean === parsed ? line : JSON.stringify(clean);
}
