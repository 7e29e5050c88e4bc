import { useEffect, useRef, useState } from 'react';

/**
 * `value`, but changing at most once per `intervalMs`: the first change after a quiet spell
 * shows at once, the ones that follow within the interval are folded into one, shown when it
 * ends. The last value always shows.
 */
export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  /** performance.now() of the last change shown, in ms. */
  const shownAt = useRef(Number.NEGATIVE_INFINITY);

  useEffect(() => {
    if (Object.is(value, shown)) return;
    const show = () => {
      shownAt.current = performance.now();
      setShown(value);
    };
    const waitMs = shownAt.current + intervalMs - performance.now();
    if (waitMs <= 0) {
      show();
      return;
    }
    // A newer value cancels this timer and sets its own, for the same moment.
    const timer = setTimeout(show, waitMs);
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs]);

  return shown;
}
