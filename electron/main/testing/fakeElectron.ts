import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import type { ElectronModule } from '../desktopApp.js';
import { fakeUtilityProcess, type FakeUtilityProcess } from './fakeUtilityProcess.js';

/**
 * Electron's main-process API as far as the composition root uses it, without Electron: it
 * records what the app asks (window options, handlers, permission handlers, dialogs) and lets a
 * test play the user and the OS (answer a dialog, send an IPC call from a frame, navigate,
 * minimize, launch a second instance, quit). Utility processes are real Node processes
 * (fakeUtilityProcess.ts). Anything the app calls that is missing here fails the test loudly.
 */


/** A cancellable Electron event: `preventDefault` records that it was called. */
export interface FakeEvent {
  isPrevented: boolean;
  preventDefault(): void;
  url?: string;
}

export function fakeEvent(url?: string): FakeEvent {
  const event: FakeEvent = {
    isPrevented: false,
    preventDefault: () => {
      event.isPrevented = true;
    },
  };
  if (url !== undefined) event.url = url;
  return event;
}

export class FakeFrame {
  constructor(public url: string) {}
}

export class FakeWebContents extends EventEmitter {
  readonly mainFrame = new FakeFrame('about:blank');
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  readonly posted: Array<{ channel: string; ports: unknown[] }> = [];

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  postMessage(channel: string, _message: unknown, ports: unknown[] = []): void {
    this.posted.push({ channel, ports });
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly all: FakeBrowserWindow[] = [];
  static app: FakeApp | null = null;
  readonly webContents = new FakeWebContents();
  isShown = false;
  isMinimizedNow = false;
  focusCount = 0;
  restoreCount = 0;
  private isClosed = false;

  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.all.push(this);
    FakeBrowserWindow.app?.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((window) => !window.isClosed);
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.mainFrame.url = url;
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }
  show(): void {
    this.isShown = true;
  }
  isMinimized(): boolean {
    return this.isMinimizedNow;
  }
  minimize(): void {
    this.isMinimizedNow = true;
  }
  restore(): void {
    this.restoreCount++;
    this.isMinimizedNow = false;
  }
  focus(): void {
    this.focusCount++;
  }
  isDestroyed(): boolean {
    return this.isClosed;
  }
  close(): void {
    this.isClosed = true;
    this.emit('closed');
  }
}

/** The app object: quit runs before-quit, will-quit and quit as Electron does, each cancellable. */
export class FakeApp extends EventEmitter {
  isSandboxEnabled = false;
  hasSingleInstanceLock = true;
  exitCode: number | null = null;
  hasQuit = false;
  private hasBecomeReady = false;
  private readonly isReady: Promise<void>;
  private markReady: () => void = () => {};

  constructor() {
    super();
    this.isReady = new Promise((resolve) => (this.markReady = resolve));
  }
  enableSandbox(): void {
    this.isSandboxEnabled = true;
  }
  /** Paths the app set (`userData`…), by name. */
  readonly paths = new Map<string, string>();
  setPath(name: string, value: string): void {
    if (this.hasBecomeReady) throw new Error(`app.setPath('${name}') after ready: Electron ignores it for userData`);
    this.paths.set(name, value);
  }
  requestSingleInstanceLock(): boolean {
    return this.hasSingleInstanceLock;
  }
  whenReady(): Promise<void> {
    return this.isReady;
  }
  /** The OS says the app may start (Electron's 'ready'). */
  becomeReady(): void {
    this.hasBecomeReady = true;
    this.markReady();
  }
  quit(): void {
    if (this.hasQuit) return;
    const beforeQuit = fakeEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.isPrevented) return;
    const willQuit = fakeEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.isPrevented) return;
    this.hasQuit = true;
    this.emit('quit');
  }
  exit(code: number): void {
    this.exitCode = code;
    this.hasQuit = true;
  }
}

export class FakeMessagePort extends EventEmitter {
  postMessage(): void {}
  start(): void {}
  close(): void {
    // At once, from inside close(): the harder case for the app (see terminalPort's drop).
    this.emit('close');
  }
}

export class FakeMessageChannel {
  readonly port1 = new FakeMessagePort();
  readonly port2 = new FakeMessagePort();
}

export interface FakeElectron {
  /** Typed as the real module for the composition root; the fake implements what it uses. */
  module: ElectronModule;
  app: FakeApp;
  windows: FakeBrowserWindow[];
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  protocolHandlers: Map<string, unknown>;
  privilegedSchemes: unknown[];
  permissionHandlers: { request: unknown; check: unknown; device: unknown };
  opened: string[];
  errorBoxes: Array<{ title: string; content: string }>;
  messageBoxes: Electron.MessageBoxOptions[];
  /** The next message box's answer (button index); each box waits for one. */
  answerNextMessageBox(response: number): void;
  utility: FakeUtilityProcess;
}

export function fakeElectron(): FakeElectron {
  const app = new FakeApp();
  FakeBrowserWindow.all.length = 0;
  FakeBrowserWindow.app = app;
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const protocolHandlers = new Map<string, unknown>();
  const privilegedSchemes: unknown[] = [];
  const permissionHandlers: FakeElectron['permissionHandlers'] = { request: null, check: null, device: null };
  const opened: string[] = [];
  const errorBoxes: FakeElectron['errorBoxes'] = [];
  const messageBoxes: Electron.MessageBoxOptions[] = [];
  const answers: number[] = [];
  const waiting: Array<(response: number) => void> = [];
  const utility = fakeUtilityProcess();

  const showMessageBox = (...args: unknown[]) => {
    messageBoxes.push(args.at(-1) as Electron.MessageBoxOptions);
    return new Promise<{ response: number; checkboxChecked: boolean }>((resolve) => {
      const answer = (response: number) => resolve({ response, checkboxChecked: false });
      const ready = answers.shift();
      if (ready !== undefined) answer(ready);
      else waiting.push(answer);
    });
  };

  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: {
      showMessageBox,
      showErrorBox: (title: string, content: string) => errorBoxes.push({ title, content }),
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => {
        if (ipcHandlers.has(channel)) throw new Error(`a second handler for ${channel}`);
        ipcHandlers.set(channel, handler);
      },
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    MessageChannelMain: FakeMessageChannel,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: unknown) => protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: unknown) => (permissionHandlers.request = handler),
        setPermissionCheckHandler: (handler: unknown) => (permissionHandlers.check = handler),
        setDevicePermissionHandler: (handler: unknown) => (permissionHandlers.device = handler),
      },
    },
    shell: { openExternal: async (url: string) => void opened.push(url) },
    safeStorage: fakeSafeStorage(),
    utilityProcess: utility,
  };

  return {
    // The one cast: Electron's types describe the whole API; the app uses the part above.
    module: module as unknown as ElectronModule,
    app,
    windows: FakeBrowserWindow.all,
    ipcHandlers,
    protocolHandlers,
    privilegedSchemes,
    permissionHandlers,
    opened,
    errorBoxes,
    messageBoxes,
    answerNextMessageBox(response) {
      const next = waiting.shift();
      if (next) next(response);
      else answers.push(response);
    },
    utility,
  };
}


/** safeStorage with real encryption (AES-256-GCM, a key per fake app) as a working keychain gives. */
function fakeSafeStorage() {
  const key = crypto.randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (plain: string) => {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString: (data: Buffer) => {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
