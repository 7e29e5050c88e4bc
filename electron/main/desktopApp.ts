import path from 'node:path';
import type * as Electron from 'electron';
import type { WebContents } from 'electron';
import { EVENT_NAMES, METHOD_NAMES } from '../../shared/contract.js';
import { createHost as createRealHost } from '../core/host.js';
import type { Host } from '../core/hostTypes.js';
import { loginShellEnv } from '../core/util/loginShellEnv.js';
import { defaultHome } from '../core/util/paths.js';
import { startLoopbackHost } from '../transport/loopbackHost.js';
import { APP_INDEX_URL, handleAppProtocol, isAppUrl, registerAppScheme } from './appProtocol.js';
import { connectIpc } from './ipcBridge.js';
import { connectWindowTerminals, type WindowTerminals } from './terminalPort.js';
import { utilityProcessStarter } from './utilityProcessStarter.js';
import { safeStorageKeys } from './safeStorageKeys.js';

/** What the app takes from Electron; passed in (main.ts gives the real module, tests a fake). */
export type ElectronModule = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'MessageChannelMain' | 'protocol' | 'safeStorage' | 'session' | 'shell' | 'utilityProcess'
>;

export interface DesktopAppDeps {
  /** The environment the app was launched with (the login shell's is added to it). */
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Started from a terminal: its environment is the shell's already. */
  isLaunchedFromTerminal: boolean;
  /** The compiled sandboxed preload (CommonJS). */
  preloadPath: string;
  /** The renderer build, served on flotilla:// and on the loopback API. */
  rendererDir: string;
  createHost?: typeof createRealHost;
  log?: (message: string) => void;
  /**
   * Called once the host serves, before the first window opens (where the desktop integration
   * installs: menu, notifications, badge, tray, window state). What it returns runs at quit,
   * before the host closes.
   */
  onHostReady?: (context: { host: Host; home: string; getWindow: () => Electron.BrowserWindow | null }) => Promise<HostReadyDisposer> | HostReadyDisposer;
}

export type HostReadyDisposer = (() => Promise<void> | void) | void;

/** The running app, as the composition root sees it (for tests and for the lead's desktop wiring). */
export interface DesktopApp {
  /** Settles once the window is open, or once start-up failed (then the app is exiting). */
  readonly ready: Promise<void>;
  readonly host: Host | null;
  readonly window: Electron.BrowserWindow | null;
}

/**
 * The Electron composition root: one host (claimed on FLOTILLA_HOME like `flotilla serve`, and
 * serving the same loopback API so the CLI works against the app), one window, the `flotilla://`
 * protocol and the IPC bridge, disposed in reverse order on quit. Everything with side effects
 * lives in the host (electron/core); this only wires Electron to it.
 */
export function startDesktopApp(electron: ElectronModule, deps: DesktopAppDeps): DesktopApp {
  const { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, protocol, safeStorage, session, shell, utilityProcess } = electron;
  const log = deps.log ?? ((message: string) => console.error(message));
  let loopback: { host: Host; close(): Promise<void> } | null = null;
  let mainWindow: Electron.BrowserWindow | null = null;
  let disconnectIpc: (() => void) | null = null;
  let mainTerminals: WindowTerminals | null = null;
  let isShutDown = false;
  let isQuitConfirmed = false;
  let isAskingToQuit = false;
  let disposeExtras: HostReadyDisposer = undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  // Chromium's own data (cache, cookies, local storage, the single-instance lock) in a folder of
  // its own inside FLOTILLA_HOME: on macOS and Windows Electron's default is the very folder that
  // FLOTILLA_HOME defaults to, and the two would mix. Before `ready`, as Electron requires.
  app.setPath('userData', path.join(defaultHome(deps.env), 'electron'));
  // Every renderer sandboxed, whatever a window's options say; before `ready`, as required.
  app.enableSandbox();
  registerAppScheme(protocol);

  if (!app.requestSingleInstanceLock()) {
    // One app per user: the first one is focused (second-instance below) and this one ends.
    app.quit();
    markReady();
    return { ready, host: null, window: null };
  }
  app.on('second-instance', () => {
    if (!mainWindow) return void (loopback && openWindow());
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => {
    if (deps.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (loopback && BrowserWindow.getAllWindows().length === 0) void openWindow();
  });
  app.on('before-quit', (event) => {
    if (isQuitConfirmed || !loopback) return;
    const working = loopback.host.workingTasks();
    if (working.length === 0) return;
    // Ask first: quitting interrupts every agent turn under way.
    event.preventDefault();
    if (isAskingToQuit) return;
    isAskingToQuit = true;
    void confirmQuit(working).then((isConfirmed) => {
      isAskingToQuit = false;
      if (isConfirmed) {
        isQuitConfirmed = true;
        app.quit();
      } else if (!mainWindow && loopback) {
        // The last window was closed to quit (Linux, Windows): the user kept the app, give it back.
        void openWindow();
      }
    });
  });
  app.on('will-quit', (event) => {
    if (isShutDown) return;
    // Hold the quit until agents are stopped (their tasks become `interrupted`) and the database is closed.
    event.preventDefault();
    void shutDown().finally(() => app.quit());
  });
  app.whenReady().then(start, (error: unknown) => fatal(error));

  async function start(): Promise<void> {
    try {
      denyAllPermissions();
      handleAppProtocol(protocol, deps.rendererDir);
      // Launched from a dock the environment is the desktop session's: ask the login shell once.
      const env = await loginShellEnv({ env: deps.env, platform: deps.platform, isLaunchedFromTerminal: deps.isLaunchedFromTerminal, log });
      // The same folder the CLI uses, so `flotilla` and the desktop app see one board.
      const home = defaultHome(env);
      const createHost = deps.createHost ?? createRealHost;
      // The pty host and the agent workers run as utility processes (no ELECTRON_RUN_AS_NODE).
      const startChild = utilityProcessStarter(utilityProcess);
      const started = await startLoopbackHost({
        home,
        hostname: '127.0.0.1',
        port: 0,
        rendererDir: deps.rendererDir,
        // Provider keys encrypted with the OS keychain (safeStorage is usable once the app is ready).
        createHost: () => createHost({ home, env, startChild, keyCipher: safeStorageKeys(safeStorage, deps.platform) }),
      });
      if (!started.ok) return fatal(new Error(started.message));
      loopback = started;
      disconnectIpc = connectIpc(ipcMain, started.host, () => mainWindow, () => mainTerminals);
      disposeExtras = await deps.onHostReady?.({ host: started.host, home, getWindow: () => mainWindow });
      await openWindow();
      markReady();
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
        preload: deps.preloadPath,
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
    if (loopback) mainTerminals = connectWindowTerminals(MessageChannelMain, loopback.host, window);
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (mainWindow !== window) return;
      mainWindow = null;
      mainTerminals = null;
    });
    await window.loadURL(APP_INDEX_URL);
  }

  /** True to quit. Names what would be interrupted; they can be resumed at the next start. */
  async function confirmQuit(working: Array<{ title: string }>): Promise<boolean> {
    const count = working.length === 1 ? '1 task is' : `${working.length} tasks are`;
    const names = working.slice(0, 5).map((task) => `• ${task.title}`);
    if (working.length > 5) names.push(`… and ${working.length - 5} more`);
    const options: Electron.MessageBoxOptions = {
      type: 'question',
      buttons: ['Quit', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      title: 'Quit Flotilla?',
      message: `${count} still working. Quit anyway?`,
      detail: `${names.join('\n')}\n\nTheir agents stop now and the tasks are marked interrupted, with their work so far kept; resume them when you start Flotilla again.`,
    };
    const answer = mainWindow && !mainWindow.isDestroyed() ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
    return answer.response === 0;
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

  /** Reverse order of `start`: stop taking calls and sending events, then the server and the host. */
  async function shutDown(): Promise<void> {
    const extras = disposeExtras;
    disposeExtras = undefined;
    try {
      await extras?.();
    } catch (error) {
      log(`flotilla: closing the desktop integration failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    disconnectIpc?.();
    disconnectIpc = null;
    mainTerminals?.dispose();
    mainTerminals = null;
    const toClose = loopback;
    loopback = null;
    try {
      await toClose?.close();
    } catch (error) {
      log(`flotilla: shutting the host down failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      isShutDown = true;
    }
  }

  function fatal(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    log(`flotilla: cannot start: ${message}`);
    dialog.showErrorBox('Flotilla cannot start', message);
    isShutDown = true;
    app.exit(1);
    markReady();
  }

  return {
    ready,
    get host() {
      return loopback?.host ?? null;
    },
    get window() {
      return mainWindow;
    },
  };
}
