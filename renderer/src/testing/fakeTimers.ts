import type { TimerApi } from '../state/keyedThrottle.js';

/** A hand-driven clock: `advance(ms)` runs due callbacks in time order. */
export function createFakeTimers(start = 0) {
  let now = start;
  let nextId = 1;
  const scheduled = new Map<number, { at: number; callback: () => void }>();
  const timers: TimerApi = {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      scheduled.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      scheduled.delete(handle as number);
    },
  };
  return {
    timers,
    now: () => now,
    pendingCount: () => scheduled.size,
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...scheduled.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        scheduled.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
    },
  };
}
