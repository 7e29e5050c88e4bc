import { parseAppAction, type AppAction } from '../../../shared/contracts/menuActions.js';

/** What the desktop app's preload adds to `window.flotilla` beyond the contract (electron/preload). */
interface DesktopBridge {
  onAppAction(listener: (action: unknown) => void): () => void;
}

function desktopBridgeOf(win: Window): DesktopBridge | null {
  const bridge: unknown = (win as { flotilla?: unknown }).flotilla;
  if (typeof bridge !== 'object' || bridge === null || !('onAppAction' in bridge)) return null;
  return typeof bridge.onAppAction === 'function' ? (bridge as DesktopBridge) : null;
}

/**
 * Actions the desktop shell sends (a menu item, a click on a notification); in a browser there
 * is no shell and this listens to nothing. Each action is parsed again here: the page trusts
 * no message it did not make. Returns an unsubscribe function.
 */
export function onDesktopAppAction(win: Window, listener: (action: AppAction) => void): () => void {
  const bridge = desktopBridgeOf(win);
  if (!bridge) return () => undefined;
  return bridge.onAppAction((raw) => {
    const action = parseAppAction(raw);
    if (action) listener(action);
  });
}
