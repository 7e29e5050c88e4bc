import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles per attempt between half and all of the ceiling', () => {
    expect(backoffDelay(0, () => 0)).toBe(BACKOFF_BASE_MS / 2);
    expect(backoffDelay(0, () => 0.999999)).toBe(BACKOFF_BASE_MS);
    expect(backoffDelay(1, () => 0)).toBe(BACKOFF_BASE_MS);
    expect(backoffDelay(3, () => 0)).toBe(BACKOFF_BASE_MS * 4);
  });

  it('never exceeds the ceiling, even for huge or negative attempts', () => {
    expect(backoffDelay(50, () => 0.999999)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(1_000_000, () => 0)).toBe(BACKOFF_MAX_MS / 2);
    expect(backoffDelay(-3, () => 0)).toBe(BACKOFF_BASE_MS / 2);
  });
});
