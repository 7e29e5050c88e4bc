import { describe, expect, it } from 'vitest';
import { PacedWriter } from './pacedWriter.js';

/** A fake clock and a fake view: writes are recorded, and "parsed" when the test says so. */
function setUp(opts: { floodIntervalMs?: number; floodChars?: number } = {}) {
  let now = 0;
  const timers: { at: number; run: () => void; isCleared: boolean }[] = [];
  const writes: { data: string; parse: () => void }[] = [];
  const acks: number[] = [];
  const writer = new PacedWriter({
    write: (data, onParsed) => writes.push({ data, parse: onParsed }),
    ack: (chars) => acks.push(chars),
    floodIntervalMs: opts.floodIntervalMs ?? 50,
    floodChars: opts.floodChars ?? 1000,
    now: () => now,
    setTimer: (run, ms) => {
      const timer = { at: now + ms, run, isCleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as { isCleared: boolean }).isCleared = true;
    },
  });
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.filter((t) => !t.isCleared && t.at <= now)) {
      timer.isCleared = true;
      timer.run();
    }
  };
  return { writer, writes, acks, advance };
}

describe('PacedWriter', () => {
  it('writes small output (typing, echoes) at once, however often it comes', () => {
    const { writer, writes, advance } = setUp();
    writer.push('l');
    advance(1);
    writer.push('s');
    advance(1);
    writer.push('\r\n');
    expect(writes.map((w) => w.data)).toEqual(['l', 's', '\r\n']);
  });

  it('writes the first big chunk at once, then coalesces the flood into one write per interval, in order', () => {
    const { writer, writes, advance } = setUp();
    const big = 'x'.repeat(1000);
    writer.push(big);
    expect(writes).toHaveLength(1);
    writer.push('a');
    writer.push('b');
    advance(10);
    writer.push('c');
    expect(writes).toHaveLength(1);
    advance(39);
    expect(writes).toHaveLength(1);
    advance(1);
    expect(writes.map((w) => w.data)).toEqual([big, 'abc']);
  });

  it('stops pacing once the flood is over', () => {
    const { writer, writes, advance } = setUp();
    writer.push('x'.repeat(2000));
    advance(50);
    writer.push('y');
    expect(writes.map((w) => w.data.slice(0, 1))).toEqual(['x', 'y']);
    advance(1);
    writer.push('z');
    expect(writes.map((w) => w.data.slice(0, 1))).toEqual(['x', 'y', 'z']);
  });

  it('acks each write only once the view has parsed it, with its whole length', () => {
    const { writer, writes, acks, advance } = setUp();
    writer.push('x'.repeat(1500));
    writer.push('ab');
    writer.push('cde');
    advance(50);
    expect(acks).toEqual([]);
    writes[1]?.parse();
    expect(acks).toEqual([5]);
    writes[0]?.parse();
    expect(acks).toEqual([5, 1500]);
  });

  it('acks what it still holds when disposed, and writes nothing more', () => {
    const { writer, writes, acks, advance } = setUp();
    writer.push('x'.repeat(1000));
    writer.push('held');
    writer.dispose();
    expect(acks).toEqual([4]);
    advance(100);
    writer.push('late');
    expect(writes).toHaveLength(1);
  });

  it('loses and reorders nothing over a long flood with random chunk sizes and arrival times', () => {
    const { writer, writes, acks, advance } = setUp({ floodChars: 64 });
    let sent = '';
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const chunk = `${i}:${'.'.repeat(Math.floor(random() * 120))};`;
      sent += chunk;
      writer.push(chunk);
      advance(Math.floor(random() * 20));
    }
    advance(1000);
    for (const write of writes) write.parse();
    expect(writes.map((w) => w.data).join('')).toBe(sent);
    expect(acks.reduce((a, b) => a + b, 0)).toBe(sent.length);
    // Paced: far fewer writes than chunks.
    expect(writes.length).toBeLessThan(2000 / 2);
  });
});
