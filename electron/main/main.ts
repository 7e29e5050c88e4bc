import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import type { WebContents } from 'electron';
import { EVENT_NAMES, METHOD_NAMES } from '../../shared/contract.js';
import { createHost } from '../core/host.js';
import type { Host } from '../core/hostTypes.js';
import { defaultHome, rendererDir } from '../core/util/paths.js';
import { APP_INDEX_URL, handleAppProtocol, isAppUrl, registerAppScheme } from './appProtocol.js';
import { connectIpc } from './ipcBridge.js';
import { connectWindowTerminals, type WindowTerminals } from './terminalPort.js';

/**
 * The Electron composition root: one host, one window, the `flotilla://` protocol and the
 * IPC bridge, disposed in reverse order on quit. Everything with side effects lives in the
 * host (electron/core); this file only wires Electron to it.
 */

/** Built next to this file by tsc from preload.cts; sandboxed preloads must be CommonJS. */
const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'preload', 'preload.cjs');

let host: Host | null = null;
let mainWindow: BrowserWindow | null = null;
let disconnectIpc: (() => void) | null = null;
let mainTerminals: WindowTerminals | null = null;
let isShutDown = false;

// Every renderer sandboxed, whatever a window's options say; before `ready`, as required.
app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // One writer per data folder: a second app would fight the first over SQLite and worktrees.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (host && BrowserWindow.getAllWindows().length === 0) void openWindow();
  });
  app.on('will-quit', (event) => {
    if (isShutDown) return;
    // Hold the quit until agents are stopped and the database is closed.
    event.preventDefault();
    void shutDown().finally(() => app.quit());
  });
  app.whenReady().then(start, (error: unknown) => fatal(error));
}

async function start(): Promise<void> {
  try {
    denyAllPermissions();
    handleAppProtocol(rendererDir());
    // The same folder the CLI uses, so `flotilla` and the desktop app see one board.
    const home = defaultHome(process.env);
    // Agent workers are spawned by the host; it decides how (ELECTRON_RUN_AS_NODE and all).
    host = await createHost({ home, env: { ...process.env } });
    disconnectIpc = connectIpc(host, () => mainWindow, () => mainTerminals);
    await openWindow();
  } catch (error) {
    fatal(error);
  }
}

async function openWindow(): Promise<void> {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Flotilla',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      // The preload cannot import the contract (sandboxed: no local requires), so the
      // allowlist of names it may pass on comes in as arguments.
      additionalArguments: [`--flotilla-methods=${METHOD_NAMES.join(',')}`, `--flotilla-events=${EVENT_NAMES.join(',')}`],
    },
  });
  mainWindow = window;
  if (host) mainTerminals = connectWindowTerminals(host, window);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow !== window) return;
    mainWindow = null;
    mainTerminals = null;
  });
  await window.loadURL(APP_INDEX_URL);
}

/**
 * Applied to every web contents the app ever creates: no navigation away from our pages,
 * no new windows (http(s) links open in the user's browser), no <webview>.
 */
function lockDown(contents: WebContents): void {
  const refuseForeign = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => refuseForeign(event, event.url));
  contents.on('will-frame-navigate', (event) => refuseForeign(event, event.url));
  contents.on('will-redirect', (event) => refuseForeign(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

/** Only web links leave the app, and only to the system browser: never file:, smb:, custom schemes. */
function openExternally(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return;
  }
  if (protocol === 'https:' || protocol === 'http:') void shell.openExternal(url);
}

/** The UI needs no camera, microphone, notifications API, geolocation or devices: refuse all. */
function denyAllPermissions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** Reverse order of `start`: stop taking calls and sending events, then stop the host. */
async function shutDown(): Promise<void> {
  disconnectIpc?.();
  disconnectIpc = null;
  mainTerminals?.dispose();
  mainTerminals = null;
  const toDispose = host;
  host = null;
  try {
    await toDispose?.dispose();
  } catch (error) {
    console.error('flotilla: disposing the host failed', error);
  } finally {
    isShutDown = true;
  }
}

function fatal(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error('flotilla: cannot start', error);
  dialog.showErrorBox('Flotilla cannot start', message);
  isShutDown = true;
  app.exit(1);
}
