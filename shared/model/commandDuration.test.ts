import { describe, expect, it } from 'vitest';
import { formatCommandDuration } from './commandDuration.js';

describe('formatCommandDuration', () => {
  it('shows ms, tenths of seconds, then minutes', () => {
    expect(formatCommandDuration(-3)).toBe('0 ms');
    expect(formatCommandDuration(85)).toBe('85 ms');
    expect(formatCommandDuration(1_440)).toBe('1.4 s');
    expect(formatCommandDuration(59_940)).toBe('59.9 s');
    expect(formatCommandDuration(123_000)).toBe('2m 03s');
  });
});
