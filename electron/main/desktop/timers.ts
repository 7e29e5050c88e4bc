import type { BatchTimers } from '../../../shared/contracts/batchWindow.js';

/** The timer functions the desktop integration uses, injected so tests decide when time passes. */
export type TimerApi = BatchTimers;

export const REAL_TIMERS: TimerApi = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};
