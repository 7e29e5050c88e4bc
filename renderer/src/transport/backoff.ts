/** 250 ms first retry: a host restart usually takes about that long. */
export const BACKOFF_BASE_MS = 250;
/** 10 s ceiling: a user who restarts the host should not wait long for the UI to notice. */
export const BACKOFF_MAX_MS = 10_000;

/**
 * Delay before reconnect attempt `attempt` (0-based), in ms: exponential with "equal
 * jitter" (half fixed, half random) so many windows do not retry in lockstep.
 * `random` returns a number in [0, 1).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0), 16);
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** exponent);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
