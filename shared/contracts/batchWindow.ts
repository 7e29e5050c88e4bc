/** Timers passed in (shared/ has neither Node's nor the DOM's): tests decide when time passes. */
export interface BatchTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BatchWindow<T> {
  add(items: readonly T[]): void;
  /** Drops what waits and its timer. */
  dispose(): void;
}

/**
 * At most one `show` per window of `windowMs`: the first items after a quiet spell are shown at
 * once; items arriving within the window after a show wait, and are shown together when it ends.
 * Items with the same key count once, with the latest, in the order of their latest arrival.
 * The renderer's notifications and the desktop app's both batch this way (a fleet finishing
 * together makes one notification, not one per task).
 */
export function createBatchWindow<T>(opts: { keyOf(item: T): string; show(batch: T[]): void; windowMs: number; timers: BatchTimers }): BatchWindow<T> {
  let lastShownAt: number | null = null;
  let pending = new Map<string, T>();
  let timer: unknown = null;

  function flush(): void {
    timer = null;
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    lastShownAt = opts.timers.now();
    opts.show(batch);
  }

  return {
    add(items) {
      if (items.length === 0) return;
      for (const item of items) {
        const key = opts.keyOf(item);
        pending.delete(key); // re-inserted: the batch is in the order of the latest news
        pending.set(key, item);
      }
      if (timer !== null) return;
      const wait = lastShownAt === null ? 0 : lastShownAt + opts.windowMs - opts.timers.now();
      if (wait <= 0) flush();
      else timer = opts.timers.setTimeout(flush, wait);
    },
    dispose() {
      if (timer !== null) opts.timers.clearTimeout(timer);
      timer = null;
      pending.clear();
    },
  };
}
