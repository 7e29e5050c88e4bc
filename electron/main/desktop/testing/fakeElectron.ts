import { EventEmitter } from 'node:events';
import type { NativeImage } from 'electron';
import type { DesktopElectron, DesktopMenu, DesktopWindow, Display, MenuTemplate, Rectangle } from '../desktopElectron.js';

/**
 * A small stand-in for the parts of Electron the desktop integration uses (Electron's binary
 * cannot run in tests): it records what the integration asked for, and lets a test act as the
 * OS would (a click on a notification, a second launch, a window moved).
 */

export class FakeWebContents extends EventEmitter {
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  isLoadingNow = false;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isLoading(): boolean {
    return this.isLoadingNow;
  }
  /** The page finished loading, as Electron reports it. */
  finishLoad(): void {
    this.isLoadingNow = false;
    this.emit('did-finish-load');
  }
}

export class FakeWindow extends EventEmitter implements DesktopWindow {
  readonly webContents = new FakeWebContents();
  bounds: Rectangle = { x: 100, y: 100, width: 1280, height: 820 };
  isDestroyedNow = false;
  isMinimizedNow = false;
  isVisibleNow = true;
  isFocusedNow = false;
  isMaximizedNow = false;
  backgroundColor: string | null = null;
  /** Windows' taskbar overlay: its description, or null without one. */
  overlay: string | null = null;
  isDestroyed(): boolean {
    return this.isDestroyedNow;
  }
  isMinimized(): boolean {
    return this.isMinimizedNow;
  }
  isVisible(): boolean {
    return this.isVisibleNow;
  }
  isFocused(): boolean {
    return this.isFocusedNow;
  }
  isMaximized(): boolean {
    return this.isMaximizedNow;
  }
  restore(): void {
    this.isMinimizedNow = false;
  }
  show(): void {
    this.isVisibleNow = true;
  }
  focus(): void {
    this.isFocusedNow = true;
  }
  maximize(): void {
    this.isMaximizedNow = true;
    this.emit('maximize');
  }
  setBounds(bounds: Partial<Rectangle>): void {
    this.bounds = { ...this.bounds, ...bounds };
  }
  getNormalBounds(): Rectangle {
    return { ...this.bounds };
  }
  setBackgroundColor(color: string): void {
    this.backgroundColor = color;
  }
  setOverlayIcon(overlay: NativeImage | null, description: string): void {
    this.overlay = overlay === null ? null : description;
  }
  /** The user dragged the window: Electron emits `move` (often many times). */
  moveTo(x: number, y: number): void {
    this.bounds = { ...this.bounds, x, y };
    this.emit('move');
  }
}

export class FakeApp extends EventEmitter {
  isPackaged = false;
  readonly badgeCounts: number[] = [];
  /** How often the app was brought forward over other apps (macOS). */
  focusSteals = 0;
  focus(options?: { steal: boolean }): void {
    if (options?.steal) this.focusSteals++;
  }
  getName(): string {
    return 'Flotilla';
  }
  setBadgeCount(count = 0): boolean {
    this.badgeCounts.push(count);
    return true;
  }
  /** `new BrowserWindow(…)`: Electron emits this from the constructor. */
  createWindow(window: FakeWindow): FakeWindow {
    this.emit('browser-window-created', {}, window);
    return window;
  }
}

export class FakeNotification extends EventEmitter {
  isShown = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    this.isShown = true;
  }
  click(): void {
    this.emit('click');
  }
}

export class FakeTray extends EventEmitter {
  toolTip = '';
  title = '';
  contextMenu: FakeMenu | null = null;
  isDestroyed = false;
  constructor(readonly image: NativeImage) {
    super();
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  setContextMenu(menu: DesktopMenu | null): void {
    this.contextMenu = menu as FakeMenu | null;
  }
  destroy(): void {
    this.isDestroyed = true;
  }
}

export interface FakeMenu extends DesktopMenu {
  readonly template: MenuTemplate;
}

export type MenuItem = MenuTemplate[number];

/** Every item of a template, submenus included, depth first. */
export function menuItems(template: MenuTemplate): MenuItem[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? menuItems(item.submenu) : [])]);
}

export interface FakeElectron extends DesktopElectron {
  app: FakeApp;
  notifications: FakeNotification[];
  trays: FakeTray[];
  /** What `Menu.setApplicationMenu` was last given. */
  applicationMenu(): FakeMenu | null;
  setDark(isDark: boolean): void;
}

export function createFakeElectron(options: { displays?: Display[]; isNotificationSupported?: boolean } = {}): FakeElectron {
  const app = new FakeApp();
  const notifications: FakeNotification[] = [];
  const trays: FakeTray[] = [];
  const displays = options.displays ?? [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }];
  let applicationMenu: FakeMenu | null = null;
  const theme = Object.assign(new EventEmitter(), { themeSource: 'light' as 'system' | 'light' | 'dark', shouldUseDarkColors: false });
  return {
    app,
    notifications,
    trays,
    applicationMenu: () => applicationMenu,
    setDark(isDark) {
      theme.shouldUseDarkColors = isDark;
      theme.emit('updated');
    },
    Menu: {
      buildFromTemplate: (template) => ({ items: template, template }),
      setApplicationMenu: (menu) => {
        applicationMenu = menu as FakeMenu | null;
      },
    },
    Notification: class extends FakeNotification {
      constructor(notificationOptions: { title: string; body: string }) {
        super(notificationOptions);
        notifications.push(this);
      }
      static isSupported(): boolean {
        return options.isNotificationSupported ?? true;
      }
    },
    Tray: class extends FakeTray {
      constructor(image: NativeImage) {
        super(image);
        trays.push(this);
      }
    },
    // The image is only handed back to Tray: an empty object stands for it.
    nativeImage: { createFromDataURL: () => ({}) as NativeImage },
    nativeTheme: theme,
    screen: { getAllDisplays: () => displays, getPrimaryDisplay: () => displays[0] as Display },
  };
}
