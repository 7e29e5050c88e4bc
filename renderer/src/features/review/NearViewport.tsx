import { startTransition, useEffect, useRef, useState, type ReactNode } from 'react';

/** 800 px: start drawing a piece a screen ahead, so scrolling rarely meets a blank. */
const LOOKAHEAD_PX = 800;

/** The nearest ancestor that scrolls: the observer's root, so the lookahead margin applies inside it. */
function scrollParent(el: HTMLElement): HTMLElement | null {
  for (let node = el.parentElement; node; node = node.parentElement) {
    const { overflowY } = getComputedStyle(node);
    if (overflowY === 'auto' || overflowY === 'scroll') return node;
  }
  return null;
}

/**
 * Draws `children` once its placeholder comes within LOOKAHEAD_PX of the visible part of
 * its scrolling container, then keeps them. The mount is a transition, so React can yield
 * between pieces when a fast scroll brings many into range at once (no long frame).
 */
export function NearViewport({ estimatedHeight, children }: { estimatedHeight: number; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [isNear, setIsNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (isNear || !el) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        observer.disconnect();
        startTransition(() => setIsNear(true));
      },
      { root: scrollParent(el), rootMargin: `${LOOKAHEAD_PX}px 0px` },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [isNear]);
  if (isNear) return <>{children}</>;
  return <div ref={ref} className="lazy-placeholder" style={{ height: estimatedHeight }} aria-busy="true" />;
}
