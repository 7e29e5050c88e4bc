import { describe, expect, it } from 'vitest';
import { inertLine, inertText } from './inertText.js';

const hex = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Every character inertText must escape, by class. */
const C0 = range(0x00, 0x1f).filter((c) => c !== 0x09 && c !== 0x0a);
const C1 = range(0x80, 0x9f);
const BIDI = [0x061c, 0x200e, 0x200f, ...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];
const INVISIBLE = [0x00ad, 0x180e, 0x200b, 0x2028, 0x2029, ...range(0x2060, 0x2064), ...range(0x206a, 0x206f), 0xfeff, 0xfff9, 0xfffa, 0xfffb];

describe('inertText', () => {
  it('escapes every C0 control but \\n and \\t, DEL and every C1 control', () => {
    for (const code of [...C0, 0x7f, ...C1]) {
      expect(inertText(`a${String.fromCharCode(code)}b`), hex(code)).toBe(`a${hex(code)}b`);
    }
  });

  it('escapes bidi controls and invisible format characters', () => {
    for (const code of [...BIDI, ...INVISIBLE]) {
      expect(inertText(`a${String.fromCharCode(code)}b`), hex(code)).toBe(`a${hex(code)}b`);
    }
  });

  it('keeps \\n and \\t, ZWJ and ZWNJ', () => {
    expect(inertText('one\n\ttwo\n')).toBe('one\n\ttwo\n');
    expect(inertText('👩‍💻 می‌خواهم')).toBe('👩‍💻 می‌خواهم');
  });

  it('leaves ordinary unicode, astral characters and surrogate pairs alone', () => {
    const text = 'Crème ✓ 日本 — “quoted” 𝒳 😀 🇫🇷 Ελληνικά עברית العربية \\u001b (literal backslash)';
    expect(inertText(text)).toBe(text);
    expect(inertLine(text)).toBe(text);
  });

  it('turns the terminal attacks into plain text', () => {
    const attack = '\x1b]0;pwned\x07\x1b[2K\rok\u009b31m\u202eevil\b\b';
    const inert = inertText(attack);
    expect(inert).toBe('\\u001b]0;pwned\\u0007\\u001b[2K\\u000dok\\u009b31m\\u202eevil\\u0008\\u0008');
    expect(inert).toMatch(/^[\x20-\x7e]*$/);
  });

  it('escapes tag characters (hidden ASCII) as their surrogate pair, and lone surrogates', () => {
    const hidden = String.fromCodePoint(0xe0041, 0xe007f);
    expect(inertText(`a${hidden}b`)).toBe('a\\udb40\\udc41\\udb40\\udc7fb');
    expect(inertText('a\ud800b\udc00c')).toBe('a\\ud800b\\udc00c');
    // A pair stays whole even next to a lone half.
    expect(inertText('\ud83d\ude00\ude00')).toBe('\ud83d\ude00\\ude00');
    // Plane-14 characters that are not tags (variation selectors supplement) stay.
    expect(inertText(String.fromCodePoint(0xe0100))).toBe(String.fromCodePoint(0xe0100));
  });

  it('keeps JSON valid and decoding to the very same text', () => {
    const value = { text: 'a\x1b]0;x\x07\u0085\u009b\u202e\u2028\u2029\ufeff\x7f b', nested: ['\u200e', String.fromCodePoint(0xe0041), '\\'] };
    for (const json of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
      const inert = inertText(json);
      expect(inert).toMatch(/^[\x20-\x7e\n]*$/);
      expect(JSON.parse(inert)).toEqual(value);
    }
  });

  it('is idempotent: its output has nothing left to escape', () => {
    const text = 'x\x1b[2K\r\u202e\n\ty';
    expect(inertText(inertText(text))).toBe(inertText(text));
    expect(inertLine(inertText(text))).toBe(inertLine(text));
  });

  it('handles a megabyte of output in one pass', () => {
    const big = 'ordinary output line with 日本 and ✓\n'.repeat(30_000) + '\x1b';
    expect(inertText(big).endsWith('\\u001b')).toBe(true);
  });
});

describe('inertLine', () => {
  it('also escapes \\n and \\t, so a value cannot break its row or forge the next', () => {
    expect(inertLine('fix it\n$ rm -rf ~   [exit 0]\tx')).toBe('fix it\\u000a$ rm -rf ~   [exit 0]\\u0009x');
    expect(inertLine('a\x1b[2Kb\u202e')).toBe('a\\u001b[2Kb\\u202e');
  });
});
