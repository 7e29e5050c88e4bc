import { useEffect, useRef, useState, type ReactNode } from 'react';
import './lazyMount.css';

/** 600 px: start rendering a bit before it scrolls in, so fast scrolling rarely sees a blank. */
const LOOKAHEAD_MARGIN = '600px 0px';

/**
 * Renders `children` only once the placeholder comes near the viewport, then keeps them.
 * A placeholder of `estimatedHeight` px keeps the scrollbar honest meanwhile.
 */
export function LazyMount({ estimatedHeight, children }: { estimatedHeight: number; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [isVisible, setIsVisible] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (isVisible || !el) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setIsVisible(true);
          observer.disconnect();
        }
      },
      { rootMargin: LOOKAHEAD_MARGIN },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [isVisible]);
  if (isVisible) return <>{children}</>;
  return <div ref={ref} className="lazy-placeholder" style={{ height: estimatedHeight }} aria-busy="true" />;
}
