import type { TimerApi } from '../timers.js';

/**
 * Timers a test moves by hand: `fire()` is "the wait ended" (the clock jumps to the latest due
 * timer and every pending callback runs), so a test says "the user stopped dragging for 500 ms"
 * without waiting 500 ms.
 */
export function manualTimers(): TimerApi & { pending: Array<{ callback: () => void; ms: number }>; fire(): void } {
  let now = 0;
  const pending: Array<{ callback: () => void; ms: number; at: number }> = [];
  return {
    pending,
    now: () => now,
    setTimeout: (callback, ms) => {
      const timer = { callback, ms, at: now + ms };
      pending.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      const index = pending.indexOf(handle as (typeof pending)[number]);
      if (index !== -1) pending.splice(index, 1);
    },
    fire() {
      const due = pending.splice(0);
      now = Math.max(now, ...due.map((timer) => timer.at));
      for (const timer of due) timer.callback();
    },
  };
}
