import { useEffect, useRef, useState, type ReactNode } from 'react';

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
 * Mounts waiting to happen, one per frame: drawing a piece of a diff is React and layout work
 * for its rows (parsing and highlighting happen in a worker), so a fast scroll that brings
 * twenty pieces into range must not draw them in one task. Nearest-first is not needed:
 * pieces enter the range in scroll order. `scheduleMount` returns a cancel.
 */
const pendingMounts: (() => void)[] = [];
let isDrainScheduled = false;

export function scheduleMount(mount: () => void): () => void {
  pendingMounts.push(mount);
  scheduleDrain();
  return () => {
    const at = pendingMounts.indexOf(mount);
    if (at >= 0) pendingMounts.splice(at, 1);
  };
}

function scheduleDrain(): void {
  if (isDrainScheduled || pendingMounts.length === 0) return;
  isDrainScheduled = true;
  // After the next frame is painted: one piece per frame, and the page keeps scrolling.
  requestAnimationFrame(() =>
    setTimeout(() => {
      isDrainScheduled = false;
      pendingMounts.shift()?.();
      scheduleDrain();
    }, 0),
  );
}

/**
 * Draws `children` once its placeholder comes within LOOKAHEAD_PX of the visible part of
 * its scrolling container (or at once when `isForced`: a line is being jumped to), then
 * keeps them; mounts are spread one per frame.
 */
export function NearViewport({ estimatedHeight, isForced = false, children }: { estimatedHeight: number; isForced?: boolean; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [isNear, setIsNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (isForced) setIsNear(true);
  }, [isForced]);
  useEffect(() => {
    const el = ref.current;
    if (isNear || !el) return;
    let cancelMount = () => {};
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        observer.disconnect();
        cancelMount = scheduleMount(() => setIsNear(true));
      },
      { root: scrollParent(el), rootMargin: `${LOOKAHEAD_PX}px 0px` },
    );
    observer.observe(el);
    return () => {
      observer.disconnect();
      cancelMount();
    };
  }, [isNear]);
  if (isNear) return <>{children}</>;
  return <div ref={ref} className="lazy-placeholder" style={{ height: estimatedHeight }} aria-busy="true" />;
}
