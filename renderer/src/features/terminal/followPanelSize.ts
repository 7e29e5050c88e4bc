import type { FitAddon } from '@xterm/addon-fit';
import type { Terminal } from '@xterm/xterm';

/** Resize calls to the host at most every 100 ms while a panel is dragged. */
const RESIZE_DEBOUNCE_MS = 100;

export interface PanelSize {
  /** Fits the xterm to its panel now (nothing while the panel is hidden). */
  fit(): void;
  /** Tells the host the pty's new size, debounced. */
  send(cols: number, rows: number): void;
  /** From now on, each resize of the xterm is sent to the host (once its snapshot is on screen). */
  follow(isFollowing: boolean): void;
  dispose(): void;
}

/**
 * Keeps the xterm the size of its panel (once per frame while the panel resizes) and the pty
 * the size of the xterm. Before `follow(true)` the xterm may resize (to the snapshot's size)
 * without the host being told.
 */
export function followPanelSize({
  el,
  term,
  fit,
  resizePty,
}: {
  el: HTMLElement;
  term: Terminal;
  fit: FitAddon;
  resizePty: (cols: number, rows: number) => void;
}): PanelSize {
  let isDisposed = false;
  let isFollowing = false;
  let resizeTimer: ReturnType<typeof setTimeout> | null = null;
  let frame = 0;

  const send = (cols: number, rows: number) => {
    if (resizeTimer !== null) clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      resizeTimer = null;
      resizePty(cols, rows);
    }, RESIZE_DEBOUNCE_MS);
  };

  const fitToPanel = () => {
    // A hidden panel measures 0×0: fitting then would shrink the pty to nothing.
    if (isDisposed || el.clientWidth === 0 || el.clientHeight === 0) return;
    fit.fit();
  };

  const onResize = term.onResize(({ cols, rows }) => {
    if (isFollowing) send(cols, rows);
  });
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(fitToPanel);
  });
  observer.observe(el);

  return {
    fit: fitToPanel,
    send,
    follow(next) {
      isFollowing = next;
    },
    dispose() {
      isDisposed = true;
      observer.disconnect();
      cancelAnimationFrame(frame);
      if (resizeTimer !== null) clearTimeout(resizeTimer);
      onResize.dispose();
    },
  };
}
