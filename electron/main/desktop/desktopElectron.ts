import type * as Electron from 'electron';

/**
 * The part of Electron the desktop integration uses, written out so tests can pass a small fake
 * (Electron's binary is not needed to run them). `RealElectronFits` below makes the compiler
 * check that the real module is one of these: a signature that drifts from Electron's typings is
 * a type error, not a surprise at launch.
 */

export type Rectangle = Electron.Rectangle;
export type MenuTemplate = Electron.MenuItemConstructorOptions[];

export interface DesktopWebContents {
  send(channel: string, ...args: unknown[]): void;
  once(event: 'did-finish-load', listener: () => void): unknown;
  isLoading(): boolean;
}

export interface DesktopWindow {
  readonly webContents: DesktopWebContents;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  isVisible(): boolean;
  isFocused(): boolean;
  isMaximized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  maximize(): void;
  setBounds(bounds: Partial<Rectangle>): void;
  /** The bounds the window has when neither maximized nor full screen: what to restore. */
  getNormalBounds(): Rectangle;
  setBackgroundColor(color: string): void;
  /** Windows: a small image over the taskbar button, with a description for screen readers. */
  setOverlayIcon(overlay: DesktopImage | null, description: string): void;
  on(event: 'resize', listener: () => void): unknown;
  on(event: 'move', listener: () => void): unknown;
  on(event: 'maximize', listener: () => void): unknown;
  on(event: 'unmaximize', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'focus', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

export interface DesktopApp {
  readonly isPackaged: boolean;
  getName(): string;
  setBadgeCount(count?: number): boolean;
  /** macOS: brings the app itself forward (a window's focus alone does not when the app is in the background). */
  focus(options?: { steal: boolean }): void;
  on(event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): unknown;
  on(event: 'open-file', listener: (event: { preventDefault(): void }, path: string) => void): unknown;
  on(event: 'browser-window-created', listener: (event: unknown, window: DesktopWindow) => void): unknown;
  removeListener(event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): unknown;
  removeListener(event: 'open-file', listener: (event: { preventDefault(): void }, path: string) => void): unknown;
  removeListener(event: 'browser-window-created', listener: (event: unknown, window: DesktopWindow) => void): unknown;
}

export interface DesktopMenu {
  readonly items: ReadonlyArray<unknown>;
}

export interface DesktopNotification {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

export interface DesktopTray {
  on(event: 'click', listener: () => void): unknown;
  setToolTip(toolTip: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: DesktopMenu | null): void;
  destroy(): void;
}

/** Opaque to the integration: made by `nativeImage`, handed to `Tray`. */
export type DesktopImage = Electron.NativeImage;

export interface Display {
  workArea: Rectangle;
}

export interface DesktopElectron {
  app: DesktopApp;
  Menu: {
    buildFromTemplate(template: MenuTemplate): DesktopMenu;
    setApplicationMenu(menu: DesktopMenu | null): void;
  };
  Notification: {
    new (options: { title: string; body: string; silent?: boolean }): DesktopNotification;
    isSupported(): boolean;
  };
  Tray: new (image: DesktopImage) => DesktopTray;
  nativeImage: { createFromDataURL(dataURL: string): DesktopImage };
  nativeTheme: {
    themeSource: 'system' | 'light' | 'dark';
    readonly shouldUseDarkColors: boolean;
    on(event: 'updated', listener: () => void): unknown;
    removeListener(event: 'updated', listener: () => void): unknown;
  };
  screen: { getAllDisplays(): Display[]; getPrimaryDisplay(): Display };
}

type Fits<T extends U, U> = T;
/** Compile-time only: Electron's own module satisfies `DesktopElectron`, and its windows `DesktopWindow`. */
export type RealElectronFits = Fits<Pick<typeof Electron, keyof DesktopElectron>, DesktopElectron>;
export type RealWindowFits = Fits<Electron.BrowserWindow, DesktopWindow>;
