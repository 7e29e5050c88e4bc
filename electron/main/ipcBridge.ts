import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ConnectionHandlers, Handlers } from '../../shared/contract.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type InvokeReply } from '../../shared/contracts/wire.js';
import type { Host } from '../core/hostTypes.js';
import { invokeMethod } from '../transport/dispatch.js';
import { ConnectionScope, handlersFor } from '../transport/connectionScope.js';
import { isAppUrl } from './appProtocol.js';
import type { WindowTerminals } from './terminalPort.js';

/**
 * The contract over Electron IPC. Every call is checked first: it must come from the main
 * frame of our window showing our own page, so a frame or page that got in some other way
 * (an injected iframe, a navigation we missed) cannot reach the host. One window is one
 * connection: its `tasks.watch` decides which command output it is sent, and its
 * `terminal.attach` streams over the window's terminal port, as over WebSocket.
 */
export function connectIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  host: Host,
  getWindow: () => BrowserWindow | null,
  /** The window's terminal port: `terminal.attach` must stream to the window that asked. */
  getTerminals: () => WindowTerminals | null = () => null,
): () => void {
  const connections = new WeakMap<WebContents, { scope: ConnectionScope; handlers: Handlers & ConnectionHandlers }>();
  const connectionOf = (contents: WebContents) => {
    let connection = connections.get(contents);
    if (!connection) {
      const scope = new ConnectionScope(() => getTerminals()?.channel() ?? null);
      connection = { scope, handlers: handlersFor(host.handlers, scope) };
      connections.set(contents, connection);
      // A reloaded page watches nothing yet: the old set was the previous page's.
      contents.on('did-navigate', () => scope.clear());
    }
    return connection;
  };

  ipcMain.handle(INVOKE_CHANNEL, async (event, method: unknown, input: unknown): Promise<InvokeReply> => {
    if (!isTrustedSender(event, getWindow())) return { ok: false, message: 'refused: the call did not come from the Flotilla window' };
    const result = await invokeMethod(connectionOf(event.sender).handlers, method, input);
    return result.ok ? { ok: true, output: result.output } : { ok: false, message: result.message };
  });
  const unsubscribe = host.onEvent((name, payload) => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return;
    if (connectionOf(window.webContents).scope.wants(name, payload)) window.webContents.send(EVENT_CHANNEL, name, payload);
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
