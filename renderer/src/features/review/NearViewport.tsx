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
 * One IntersectionObserver per scrolling container and margin, shared by every placeholder and
 * piece in it: a 300-file change has hundreds of them, and each observer of its own is work
 * for Chromium on every frame. `watch` returns an unwatch.
 */
const sharedObservers = new Map<string, { observer: IntersectionObserver; callbacks: Map<Element, (isIntersecting: boolean) => void> }>();
const rootIds = new WeakMap<Element, number>();
let nextRootId = 1;

function watch(el: HTMLElement, marginPx: number, callback: (isIntersecting: boolean) => void): () => void {
  const root = scrollParent(el);
  let rootId = root ? rootIds.get(root) : 0;
  if (root && rootId === undefined) {
    rootId = nextRootId++;
    rootIds.set(root, rootId);
  }
  const key = `${rootId}:${marginPx}`;
  let shared = sharedObservers.get(key);
  if (!shared) {
    const callbacks = new Map<Element, (isIntersecting: boolean) => void>();
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) callbacks.get(entry.target)?.(entry.isIntersecting);
      },
      { root, rootMargin: `${marginPx}px 0px` },
    );
    shared = { observer, callbacks };
    sharedObservers.set(key, shared);
  }
  const mine = shared;
  mine.callbacks.set(el, callback);
  mine.observer.observe(el);
  let isWatching = true;
  return () => {
    if (!isWatching) return;
    isWatching = false;
    mine.observer.unobserve(el);
    mine.callbacks.delete(el);
    if (mine.callbacks.size === 0) {
      mine.observer.disconnect();
      if (sharedObservers.get(key) === mine) sharedObservers.delete(key);
    }
  };
}

/**
 * Mounts waiting to happen, one at a time: drawing a piece of a diff is React and layout work
 * for its rows (parsing and highlighting happen in a worker), so a fast scroll that brings
 * twenty pieces into range must not draw them in one task. A mount calls `drawn` once its
 * rows are committed (a transition render is sliced over several tasks, and starting the next
 * one meanwhile would restart it); the next waits for that, or DRAWN_TIMEOUT_MS, and a frame.
 * Nearest-first is not needed: pieces enter the range in scroll order. Returns a cancel.
 */
type Mount = (drawn: () => void) => void;
const pendingMounts: Mount[] = [];
let isDraining = false;
/** 1 s: a mount whose component went away never says it drew; do not wait for it longer. */
const DRAWN_TIMEOUT_MS = 1000;

export function scheduleMount(mount: Mount): () => void {
  pendingMounts.push(mount);
  drainNext();
  return () => {
    const at = pendingMounts.indexOf(mount);
    if (at >= 0) pendingMounts.splice(at, 1);
  };
}

function drainNext(): void {
  if (isDraining || pendingMounts.length === 0) return;
  isDraining = true;
  // After the next frame is painted: the page keeps scrolling between pieces.
  requestAnimationFrame(() =>
    setTimeout(() => {
      const mount = pendingMounts.shift();
      if (!mount) {
        isDraining = false;
        return;
      }
      let isDone = false;
      const drawn = () => {
        if (isDone) return;
        isDone = true;
        clearTimeout(timer);
        isDraining = false;
        drainNext();
      };
      const timer = setTimeout(drawn, DRAWN_TIMEOUT_MS);
      mount(drawn);
    }, 0),
  );
}

/**
 * 4000 px (about four screens): a drawn piece farther than this from the view is dropped for a
 * placeholder of its drawn height, so the page holds a few screens of rows, not the whole
 * change (style, paint and layout costs grow with every row kept).
 */
const DROP_BEYOND_PX = 4000;

/**
 * Draws `children` once its placeholder comes within LOOKAHEAD_PX of the visible part of
 * its scrolling container (or at once when `isForced`: a line is being jumped to, or a
 * comment is being written there); mounts are spread one at a time. With `dropWhenFar`, drawn
 * children farther than DROP_BEYOND_PX are dropped again (unless forced); otherwise kept.
 */
export function NearViewport({
  estimatedHeight,
  isForced = false,
  dropWhenFar = false,
  children,
}: {
  estimatedHeight: number;
  isForced?: boolean;
  dropWhenFar?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [isNear, setIsNear] = useState(() => typeof IntersectionObserver === 'undefined');
  // The height the children had when dropped: the placeholder keeps the page from moving.
  const [droppedHeight, setDroppedHeight] = useState<number | null>(null);
  useEffect(() => {
    if (isForced) setIsNear(true);
  }, [isForced]);
  useEffect(() => {
    const el = ref.current;
    if (isNear || !el) return;
    let cancelMount = () => {};
    const unwatch = watch(el, LOOKAHEAD_PX, (isIntersecting) => {
      if (!isIntersecting) return;
      unwatch();
      cancelMount = scheduleMount((drawn) => {
        setIsNear(true);
        // A file's or piece's placeholder turned into pieces' placeholders: nothing to wait for.
        drawn();
      });
    });
    return () => {
      unwatch();
      cancelMount();
    };
  }, [isNear]);
  useEffect(() => {
    const el = ref.current;
    if (!isNear || !dropWhenFar || isForced || !el || typeof IntersectionObserver === 'undefined') return;
    let cancelDrop = () => {};
    // Its drawn height as layout last found it: reading it when dropping would force a layout.
    let drawnHeight: number | null = null;
    const sizes = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => {
      const box = entries.at(-1)?.borderBoxSize[0];
      if (box) drawnHeight = box.blockSize;
    });
    sizes?.observe(el);
    const unwatch = watch(el, DROP_BEYOND_PX, (isIntersecting) => {
      cancelDrop();
      cancelDrop = () => {};
      if (isIntersecting) return;
      cancelDrop = scheduleMount((drawn) => {
        setDroppedHeight(drawnHeight ?? el.getBoundingClientRect().height);
        setIsNear(false);
        drawn();
      });
    });
    return () => {
      unwatch();
      sizes?.disconnect();
      cancelDrop();
    };
  }, [isNear, dropWhenFar, isForced]);
  if (isNear) return dropWhenFar ? <div ref={ref}>{children}</div> : <>{children}</>;
  return <div ref={ref} className="lazy-placeholder" style={{ height: droppedHeight ?? estimatedHeight }} aria-busy="true" />;
}
