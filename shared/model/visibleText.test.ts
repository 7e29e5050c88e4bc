import { describe, expect, it } from 'vitest';
import { markFor, visibleParts, visibleText } from './visibleText.js';

describe('visibleText', () => {
  it('names C0 controls and DEL by their ASCII abbreviation', () => {
    expect(visibleText('\x1b]0;pwned\x07')).toBe('⟨ESC⟩]0;pwned⟨BEL⟩');
    expect(visibleText('a\rb\bc\x00\x7f\x1f\x0b')).toBe('a⟨CR⟩b⟨BS⟩c⟨NUL⟩⟨DEL⟩⟨US⟩⟨VT⟩');
  });

  it('names C1, bidi and invisible characters by code point', () => {
    expect(visibleText('\u009b31m')).toBe('⟨U+009B⟩31m');
    expect(visibleText('abc\u202edef\u2066\u200b')).toBe('abc⟨U+202E⟩def⟨U+2066⟩⟨U+200B⟩');
    expect(visibleText(String.fromCodePoint(0xe0041))).toBe('⟨U+E0041⟩');
    expect(visibleText('a\ud800')).toBe('a⟨U+D800⟩');
  });

  it('keeps line breaks and tabs; a CRLF shows as one line break', () => {
    expect(visibleText('one\n\ttwo\r\nthree\r')).toBe('one\n\ttwo\nthree⟨CR⟩');
  });

  it('returns ordinary text as it is', () => {
    const text = 'Crème ✓ 日本 👩‍💻 😀 עברית';
    expect(visibleText(text)).toBe(text);
    expect(visibleParts(text)).toEqual([{ kind: 'text', text }]);
    expect(visibleParts('')).toEqual([]);
  });

  it('splits into text runs and one mark per hidden character', () => {
    expect(visibleParts('a\x1b\u202eb\r\nc')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'mark', text: '⟨ESC⟩', codePoint: 0x1b },
      { kind: 'mark', text: '⟨U+202E⟩', codePoint: 0x202e },
      { kind: 'text', text: 'b\nc' },
    ]);
  });

  it('leaves nothing hidden: no control, bidi or format character survives', () => {
    const all = Array.from({ length: 0x30000 }, (_, code) => (code >= 0xd800 && code <= 0xdfff ? '' : String.fromCodePoint(code))).join('');
    const shown = visibleText(`${all}${String.fromCodePoint(0xe0001, 0xe0020, 0xe007f)}`);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
    expect(shown).not.toMatch(/[\0-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/);
    expect(shown).not.toMatch(/\udb40[\udc00-\udc7f]/);
  });

  it('marks are short and readable', () => {
    expect(markFor(0x1b)).toBe('⟨ESC⟩');
    expect(markFor(0x7f)).toBe('⟨DEL⟩');
    expect(markFor(0x0d)).toBe('⟨CR⟩');
    expect(markFor(0x85)).toBe('⟨U+0085⟩');
  });
});
