import { describe, expect, it } from 'vitest';
import { PlainTerminalText } from './plainTerminalText.js';

/** All of `chunks` through one converter, then its end. */
function plain(...chunks: string[]): string {
  const converter = new PlainTerminalText();
  return chunks.map((chunk) => converter.push(chunk)).join('') + converter.end();
}

/** The same text fed one character at a time: every boundary falls inside something. */
function plainByChar(text: string): string {
  return plain(...text.split(''));
}

describe('PlainTerminalText', () => {
  it('removes colours and turns the pty’s \\r\\n into \\n', () => {
    expect(plain('\x1b[31mred\x1b[0m\r\nis-a-tty\r\n')).toBe('red\nis-a-tty\n');
    expect(plain('\x1b[1;38;5;208mbold orange\x1b[m plain\r\n')).toBe('bold orange plain\n');
  });

  it('keeps only the last version of a line redrawn with \\r', () => {
    expect(plain(' 10% [=         ]\r 50% [=====     ]\r100% [==========]\r\ndone\r\n')).toBe('100% [==========]\ndone\n');
    // Erase-line after the return, as many progress bars do.
    expect(plain('downloading 50%\r\x1b[Kdone\r\n')).toBe('done\n');
    // A final redraw without a newline is still the line's last version.
    expect(plain('1/3\r2/3\r3/3')).toBe('3/3');
  });

  it('gives the same text whatever the chunk boundaries', () => {
    const raw =
      '\x1b]0;window title\x07\x1b[?25l 10%\r 99%\r\x1b[2K\x1b[32m✓\x1b[0m built\r\n' +
      '\x1b]8;;https://example.test/\x1b\\a link\x1b]8;;\x1b\\\r\n' +
      'tab\there\r\n\x1b(Bcharset\x1b[?25h\r\n';
    const expected = '✓ built\na link\ntab\there\ncharset\n';
    expect(plain(raw)).toBe(expected);
    expect(plainByChar(raw)).toBe(expected);
    expect(plain(raw.slice(0, 7), raw.slice(7, 40), raw.slice(40))).toBe(expected);
  });

  it('lets complete lines out at once and holds the line in progress until it ends', () => {
    const converter = new PlainTerminalText();
    expect(converter.push('one\r\ntw')).toBe('one\n');
    expect(converter.push('o\r')).toBe('');
    expect(converter.push('\nContinue? [y/N] ')).toBe('two\n');
    expect(converter.end()).toBe('Continue? [y/N] ');
  });

  it('applies backspaces (spinners) and drops bells and other controls', () => {
    expect(plain('working |\b/\b-\b\\\bdone\r\n')).toBe('working done\n');
    expect(plain('ding\x07\x00\x0e\x0f!\r\n')).toBe('ding!\n');
  });

  it('drops DCS, APC and 8-bit sequences, and an unfinished sequence at the end', () => {
    expect(plain('a\x1bPq#0;2;0;0;0\x1b\\b\x1b_apc\x1b\\c\u009b31md\u009d0;t\u0007e\r\n\x1b[3')).toBe('abcde\n');
  });

  it('keeps non-ASCII text and lines without a \\r', () => {
    expect(plain('é✓ 日本\nnext\n')).toBe('é✓ 日本\nnext\n');
  });

  it('lets out a very long line without a newline, so the output cap can see it', () => {
    const converter = new PlainTerminalText();
    const out = converter.push('x'.repeat(40_000));
    expect(out.length).toBeGreaterThanOrEqual(16 * 1024);
    expect(out + converter.end()).toBe('x'.repeat(40_000));
  });

  it('passes `seq` through whole', () => {
    let raw = '';
    let expected = '';
    for (let i = 1; i <= 50_000; i++) {
      raw += `${i}\r\n`;
      expected += `${i}\n`;
    }
    const converter = new PlainTerminalText();
    let out = '';
    for (let at = 0; at < raw.length; at += 4_095) out += converter.push(raw.slice(at, at + 4_095));
    expect(out + converter.end()).toBe(expected);
  });
});
