import type { Page } from 'playwright-core';

export interface FrameWindow {
  /** Time between consecutive requestAnimationFrame callbacks, in ms. */
  frameMs: number[];
  /** Main-thread tasks over 50 ms during the window (PerformanceObserver 'longtask'), in ms. */
  longTaskMs: number[];
}

/**
 * Measures frames in `page` for `windowMs`: a requestAnimationFrame loop records the gap
 * between frames (16.7 ms at 60 Hz when the page keeps up), and a long-task observer says
 * whether the page's own JavaScript is what holds frames back.
 * The probe is a string, not a function: tsx would add helpers to a function that the page lacks.
 */
export async function measureFrames(page: Page, windowMs: number): Promise<FrameWindow> {
  const probe = `new Promise((resolve) => {
    const frameMs = [];
    const longTaskMs = [];
    let observer = null;
    try {
      observer = new PerformanceObserver((list) => { for (const entry of list.getEntries()) longTaskMs.push(entry.duration); });
      observer.observe({ entryTypes: ['longtask'] });
    } catch { observer = null; }
    let last = -1;
    const end = performance.now() + ${Number(windowMs)};
    const tick = (now) => {
      if (last >= 0) frameMs.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick);
      else { if (observer) observer.disconnect(); resolve({ frameMs, longTaskMs }); }
    };
    requestAnimationFrame(tick);
  })`;
  const result: unknown = await page.evaluate(probe);
  if (!isFrameWindow(result)) throw new Error('the frame probe returned something unexpected');
  return result;
}

function isFrameWindow(value: unknown): value is FrameWindow {
  if (typeof value !== 'object' || value === null) return false;
  const numbers = (list: unknown) => Array.isArray(list) && list.every((n) => typeof n === 'number');
  return 'frameMs' in value && numbers(value.frameMs) && 'longTaskMs' in value && numbers(value.longTaskMs);
}
