import { ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import type { Host } from '../core/hostTypes.js';
import { invokeMethod } from '../server/dispatch.js';
import { isAppUrl } from './appProtocol.js';
import type { WindowTerminals } from './terminalPort.js';

export const INVOKE_CHANNEL = 'flotilla:invoke';
export const EVENT_CHANNEL = 'flotilla:event';

/** What the preload receives; it turns `ok: false` into a rejected promise with `message`. */
export type InvokeReply = { ok: true; output: unknown } | { ok: false; message: string };

/**
 * The contract over Electron IPC. Every call is checked first: it must come from the main
 * frame of our window showing our own page, so a frame or page that got in some other way
 * (an injected iframe, a navigation we missed) cannot reach the host.
 */
export function connectIpc(
  host: Host,
  getWindow: () => BrowserWindow | null,
  /** The window's terminal port: `terminal.attach` must stream to the window that asked. */
  getTerminals: () => WindowTerminals | null = () => null,
): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, input: unknown): Promise<InvokeReply> => {
    if (!isTrustedSender(event, getWindow())) return { ok: false, message: 'refused: the call did not come from the Flotilla window' };
    const terminals = getTerminals();
    if (method === 'terminal.attach' && terminals) return terminals.attach(input);
    const result = await invokeMethod(host.handlers, method, input);
    return result.ok ? { ok: true, output: result.output } : { ok: false, message: result.message };
  });
  const unsubscribe = host.onEvent((name, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, name, payload);
  });
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    unsubscribe();
  };
}

export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!window || window.isDestroyed() || frame === null) return false;
  if (event.sender !== window.webContents) return false;
  if (frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url);
}
