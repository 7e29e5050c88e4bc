import { describe, expect, it } from 'vitest';
import { OutputCollector } from './outputCollector.js';

function collector(maxChars: number) {
  const forwarded: string[] = [];
  let capCalls = 0;
  const c = new OutputCollector({ maxChars, onOutput: (chunk) => forwarded.push(chunk), onCapReached: () => (capCalls += 1) });
  return { c, forwarded, capCalls: () => capCalls };
}

describe('OutputCollector', () => {
  it('interleaves both streams in arrival order and forwards them live', () => {
    const { c, forwarded } = collector(100);
    c.push('stdout', Buffer.from('out 1\n'));
    c.push('stderr', Buffer.from('err 1\n'));
    c.push('stdout', Buffer.from('out 2\n'));
    c.end();
    expect(c.output).toBe('out 1\nerr 1\nout 2\n');
    expect(forwarded.join('')).toBe(c.output);
    expect(c.isTruncated).toBe(false);
  });

  it('decodes a UTF-8 character split across reads, per stream', () => {
    const { c, forwarded } = collector(100);
    const e = Buffer.from('é✓');
    c.push('stdout', e.subarray(0, 1));
    c.push('stderr', Buffer.from('!'));
    c.push('stdout', e.subarray(1, 3));
    c.push('stdout', e.subarray(3));
    c.end();
    expect(c.output).toBe('!é✓');
    expect(forwarded.join('')).not.toContain('\ufffd');
  });

  it('keeps output up to the cap, then one notice, then nothing; the result says how many bytes were dropped', () => {
    const { c, forwarded, capCalls } = collector(4);
    c.push('stdout', Buffer.from('abcdef'));
    c.push('stderr', Buffer.from('é'));
    c.push('stdout', Buffer.from('more'));
    c.end();
    expect(c.isTruncated).toBe(true);
    // 2 ('ef') + 2 ('é') + 4 ('more')
    expect(c.output).toBe('abcd\n[output truncated: 8 more bytes]');
    expect(forwarded).toHaveLength(2);
    expect(forwarded[0]).toBe('abcd');
    expect(forwarded[1]).toMatch(/^\n\[output truncated: more than 4 characters/);
    expect(capCalls()).toBe(1);
  });

  it('is not truncated when output exactly fills the cap', () => {
    const { c, capCalls } = collector(3);
    c.push('stdout', Buffer.from('abc'));
    c.end();
    expect(c.output).toBe('abc');
    expect(c.isTruncated).toBe(false);
    expect(capCalls()).toBe(0);
  });

  it('never cuts a surrogate pair in half', () => {
    const { c } = collector(2);
    c.push('stdout', Buffer.from('a😀b'));
    expect(c.output.startsWith('a\n[output truncated: 5 more bytes]')).toBe(true);
  });
});
