export interface TimerApi {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: TimerApi = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface KeyedThrottle<T> {
  /** Offers a new value for `key`; it is emitted now or at the end of the key's quiet time. */
  push(key: string, value: T): void;
  /** Drops pending values and timers. */
  dispose(): void;
}

/**
 * At most one `emit` per key per `intervalMs`, and the last value always gets through:
 * the first push after a quiet spell goes out at once (leading edge), later ones within the
 * interval collapse into one emit of the newest value when the interval ends (trailing edge).
 * Keys are independent: a chatty task never delays another task's line.
 */
export function createKeyedThrottle<T>(opts: {
  intervalMs: number;
  emit: (key: string, value: T) => void;
  timers?: TimerApi;
}): KeyedThrottle<T> {
  const timers = opts.timers ?? REAL_TIMERS;
  const lastEmitAt = new Map<string, number>();
  const pending = new Map<string, { value: T; timer: unknown }>();

  function emitNow(key: string, value: T): void {
    lastEmitAt.set(key, timers.now());
    opts.emit(key, value);
  }

  return {
    push(key, value) {
      const waiting = pending.get(key);
      if (waiting) {
        waiting.value = value;
        return;
      }
      const last = lastEmitAt.get(key);
      const wait = last === undefined ? 0 : last + opts.intervalMs - timers.now();
      if (wait <= 0) {
        emitNow(key, value);
        return;
      }
      const entry = {
        value,
        timer: timers.setTimeout(() => {
          pending.delete(key);
          emitNow(key, entry.value);
        }, wait),
      };
      pending.set(key, entry);
    },
    dispose() {
      for (const { timer } of pending.values()) timers.clearTimeout(timer);
      pending.clear();
      lastEmitAt.clear();
    },
  };
}
