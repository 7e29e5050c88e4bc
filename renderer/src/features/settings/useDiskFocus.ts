import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { DiskRow } from './diskRows.js';

/** Where focus goes after an action changed what is on screen. */
export type FocusTarget = { type: 'row'; path: string } | { type: 'refresh' } | { type: 'cleanup' };

export interface DiskFocus {
  /** Asks for focus on a target once it is on screen and enabled. */
  request: (target: FocusTarget) => void;
  /** The ref callback of a row's Remove button. */
  rowButton: (path: string) => (el: HTMLButtonElement | null) => void;
  refreshButton: RefObject<HTMLButtonElement | null>;
  cleanupButton: RefObject<HTMLButtonElement | null>;
}

/**
 * Focus follows a removal to the next row (or back to a row's button after "Keep", or to
 * Refresh when no row is left). Given after the render that dropped the row, so the target
 * exists and the removed button is gone; a target not yet rendered or enabled (Refresh while
 * measuring) gets it after a later render.
 */
export function useDiskFocus(rows: readonly DiskRow[]): DiskFocus {
  const rowButtons = useRef(new Map<string, HTMLButtonElement>());
  const refreshButton = useRef<HTMLButtonElement>(null);
  const cleanupButton = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState<FocusTarget | null>(null);

  // After every render while a request waits: any render may be the one that enables the target.
  useEffect(() => {
    if (pending === null) return;
    if (pending.type === 'row' && !rows.some((row) => row.path === pending.path)) {
      setPending(null); // gone by a refresh meanwhile: leave focus where it is
      return;
    }
    const target =
      pending.type === 'row' ? rowButtons.current.get(pending.path) : pending.type === 'cleanup' ? cleanupButton.current : refreshButton.current;
    if (!target || target.disabled) return;
    setPending(null);
    target.focus();
  });

  const rowButton = useCallback(
    (path: string) => (el: HTMLButtonElement | null) => {
      if (el) rowButtons.current.set(path, el);
      else rowButtons.current.delete(path);
    },
    [],
  );

  return { request: setPending, rowButton, refreshButton, cleanupButton };
}
