import { describe, expect, it } from 'vitest';
import { formatElapsed } from './formatTime.js';

describe('formatElapsed', () => {
  it('uses the two largest units', () => {
    expect(formatElapsed(-5)).toBe('0s');
    expect(formatElapsed(42_000)).toBe('42s');
    expect(formatElapsed(7 * 60_000 + 59_000)).toBe('7m');
    expect(formatElapsed(3 * 3_600_000)).toBe('3h');
    expect(formatElapsed(3 * 3_600_000 + 5 * 60_000)).toBe('3h 5m');
    expect(formatElapsed(2 * 86_400_000 + 4 * 3_600_000)).toBe('2d 4h');
  });
});
