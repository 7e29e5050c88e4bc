import { describe, expect, it } from 'vitest';
import { describeUsage, formatTokens } from './formatTokens.js';

describe('formatTokens', () => {
  it.each([
    [0, '0 tok'],
    [850, '850 tok'],
    [999, '999 tok'],
    [1_000, '1k tok'],
    [12_345, '12.3k tok'],
    [99_949, '99.9k tok'],
    [123_600, '124k tok'],
    [1_250_000, '1.3M tok'],
    [-3, '0 tok'],
  ])('%d → %s', (count, text) => {
    expect(formatTokens(count)).toBe(text);
  });

  it('gives the exact split for tooltips', () => {
    expect(describeUsage({ inputTokens: 12_345, outputTokens: 678 })).toBe('12,345 input + 678 output tokens');
  });
});
