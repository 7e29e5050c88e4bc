import { useEffect, useState } from 'react';
import { ARMING_DELAY_MS } from './approvalShortcut.js';

/**
 * False for `delayMs` after `key` (a request id) first shows, then true. Approve buttons and
 * keys wait for it: a click or key press aimed at whatever was there a moment before (a card
 * that moved, the previous request) must not answer a request the user has not seen.
 */
export function useIsArmed(key: string | null, delayMs: number = ARMING_DELAY_MS): boolean {
  const [armedKey, setArmedKey] = useState<string | null>(null);
  useEffect(() => {
    if (key === null) return;
    const timer = setTimeout(() => setArmedKey(key), delayMs);
    return () => clearTimeout(timer);
  }, [key, delayMs]);
  return key !== null && armedKey === key;
}
