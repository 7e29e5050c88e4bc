import { useCallback, useLayoutEffect, useRef, type RefObject, type UIEvent } from 'react';

/** 32 px: within about two lines of the end still counts as "following". */
const PIN_SLACK_PX = 32;

/**
 * Keeps a scroll container at its end while content grows, as long as the user is at the
 * end; once they scroll up it leaves them alone until they come back down.
 * Returns the ref and the onScroll handler to put on the container.
 */
export function useStickToBottom<T extends HTMLElement>(
  content: unknown,
  /** Pass false while the container is hidden; it catches up when shown again. */
  isVisible = true,
): { ref: RefObject<T | null>; onScroll: (event: UIEvent<T>) => void } {
  const ref = useRef<T>(null);
  const isPinned = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && isVisible && isPinned.current) el.scrollTop = el.scrollHeight;
  }, [content, isVisible]);

  const onScroll = useCallback((event: UIEvent<T>) => {
    const el = event.currentTarget;
    // A hidden container (other tab) measures 0 everywhere: keep the previous choice.
    if (el.clientHeight === 0) return;
    isPinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < PIN_SLACK_PX;
  }, []);

  return { ref, onScroll };
}
