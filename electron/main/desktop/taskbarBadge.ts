import type { DesktopElectron, DesktopWindow } from './desktopElectron.js';
import { describeNeedsYou } from './trayIcon.js';

/** 16×16 px red dot: Windows draws it over the taskbar button (it has no number badge). */
const OVERLAY_DOT = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAbElEQVR42mO4qavAQAnGJih3U1eh86auwuWbugq/oPgyVEyOkAEpUA3/ceBfUDVYDUjBoxEdp6AbIEfAZmwukUM2oJMEzTDciWzAZTIMuIxswC8yDPhFVQMo9gLFgUhxNFKckKiSlKmSmUjGAMbkwCT/E0yuAAAAAElFTkSuQmCC';

/**
 * The Needs-you count on the dock or taskbar: a number on macOS's dock and Linux launchers that
 * show one (`app.setBadgeCount`); on Windows, where that does nothing, a dot over the taskbar
 * button whose description (read by screen readers) gives the count.
 */
export function showNeedsYouBadge(
  electron: Pick<DesktopElectron, 'app' | 'nativeImage'>,
  platform: NodeJS.Platform,
  window: DesktopWindow | null,
  needsYou: number,
): void {
  electron.app.setBadgeCount(needsYou);
  if (platform !== 'win32' || !window || window.isDestroyed()) return;
  if (needsYou === 0) window.setOverlayIcon(null, '');
  else window.setOverlayIcon(electron.nativeImage.createFromDataURL(OVERLAY_DOT), describeNeedsYou(needsYou));
}
