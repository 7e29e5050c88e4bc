import { describe, expect, it } from 'vitest';
import { createSecretRedactor, redactSecrets } from './redactSecrets.js';
import { StreamRedactor } from './streamRedactor.js';

const alnum = (n: number) => Array.from({ length: n }, (_, i) => 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8'[(i * 7) % 27]).join('');
const SECRETS = [
  `ghp_${alnum(36)}`,
  `sk-proj-${alnum(48)}`,
  'AKIAIOSFODNN7EXAMPLE',
  `xoxb-123456789012-1234567890123-${alnum(24)}`,
  `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${alnum(43)}`,
  `Authorization: Bearer ${alnum(30)}`,
  'DB_PASSWORD=hunter22',
  `-----BEGIN EC PRIVATE KEY-----\r\n${alnum(64)}\r\n${alnum(20)}==\r\n-----END EC PRIVATE KEY-----`,
];

function streamed(text: string, cuts: number[], redactor = createSecretRedactor()): string {
  const stream = new StreamRedactor(redactor);
  const pieces = [0, ...cuts, text.length].slice(1).map((end, i, ends) => text.slice(i === 0 ? 0 : ends[i - 1], end));
  return [...pieces.flatMap((piece, i) => stream.push(i, piece)), ...stream.flush()].map((p) => p.data).join('');
}

describe('StreamRedactor', () => {
  it.each(SECRETS)('catches a secret split at any point between two chunks: %j', (secret) => {
    const text = `$ cat creds\r\n\x1b[1m${secret}\x1b[0m\r\n$ `;
    const whole = redactSecrets(text);
    expect(whole).not.toBe(text);
    for (let cut = 1; cut < text.length; cut++) expect(streamed(text, [cut]), `cut at ${cut}`).toBe(whole);
  });

  it('catches a secret echoed one key at a time', () => {
    const text = `echo ${SECRETS[0]}\r\n`;
    const cuts = Array.from({ length: text.length - 1 }, (_, i) => i + 1);
    expect(streamed(text, cuts)).toBe('echo ghp_****\r\n');
  });

  it('releases text that cannot start a secret at once, each chunk with its own time', () => {
    const stream = new StreamRedactor(createSecretRedactor());
    expect(stream.push(1, 'line one\r\n')).toEqual([{ at: 1, data: 'line one\r\n' }]);
    // A word at the end may be a token's start: held until a later chunk ends it.
    expect(stream.push(2, 'building wor')).toEqual([{ at: 2, data: 'building ' }]);
    expect(stream.push(3, 'ld done\r\n')).toEqual([
      { at: 2, data: 'wor' },
      { at: 3, data: 'ld done\r\n' },
    ]);
    // From the first masked character on, the span becomes one chunk at the time of its last piece.
    expect(stream.push(4, `key ${SECRETS[0]?.slice(0, 10)}`)).toEqual([{ at: 4, data: 'key ' }]);
    expect(stream.push(5, `${SECRETS[0]?.slice(10)} ok\r\n`)).toEqual([
      { at: 4, data: 'ghp_' },
      { at: 5, data: '**** ok\r\n' },
    ]);
    expect(stream.heldChars).toBe(0);
  });

  it("holds the start of a user-marked value whatever its characters", () => {
    const redactor = createSecretRedactor(() => ['p@ss w0rd!']);
    expect(streamed('say p@ss w0rd! now\r\n', [7])).toBe('say p@ss w0rd! now\r\n');
    expect(streamed('say p@ss w0rd! now\r\n', [7], redactor)).toBe('say **** now\r\n');
  });

  it('releases an unbroken run past the hold limit (redacted as it stands)', () => {
    const stream = new StreamRedactor(createSecretRedactor(), 1024);
    expect(stream.push(1, 'a'.repeat(1000))).toEqual([]);
    expect(stream.push(2, 'a'.repeat(100)).map((p) => p.data.length)).toEqual([1000, 100]);
  });

  it('masks a token cut off by the end of the stream (an output cap, a stop), too short for its rule', () => {
    const stream = new StreamRedactor(createSecretRedactor());
    expect(stream.push(1, 'printing it: ghp_aB3dE5')).toEqual([{ at: 1, data: 'printing it: ' }]);
    expect(stream.flush()).toEqual([{ at: 1, data: 'ghp_****' }]);
    const words = new StreamRedactor(createSecretRedactor());
    words.push(1, 'ends in a word');
    expect(words.flush()).toEqual([{ at: 1, data: 'word' }]);
  });
});

