import type { DesktopElectron, DesktopTray } from './desktopElectron.js';
import type { TaskCounts } from './taskAlerts.js';

/** 32×32 px: a sail (the app's mark), drawn in the accent blue; the OS scales it to its tray size. */
const TRAY_ICON = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAbUlEQVR42u3XwQ0AIQhEUfranrZuu/h2sFEXFMkcuMqLEwna8zY7WSaAAA6HkAGAAKsIj+xTAdgF4ANAeQADAKIA3ATAG8ACgDIAfgC4HoADgAwAtJLNAAiqqRsIbz4SQWhzj1fAzlGsj0lNQAd4AyeGYeLaNgAAAABJRU5ErkJggg==';

/** "1 needs you", "3 need you". */
export function describeNeedsYou(count: number): string {
  return `${count} ${count === 1 ? 'needs' : 'need'} you`;
}

/** "2 running · 1 needs you", "Nothing running", "3 need you". */
export function describeCounts(counts: TaskCounts): string {
  const parts: string[] = [];
  if (counts.running > 0) parts.push(`${counts.running} running`);
  if (counts.needsYou > 0) parts.push(describeNeedsYou(counts.needsYou));
  return parts.length === 0 ? 'Nothing running' : parts.join(' · ');
}

/**
 * The optional tray (menu bar) icon: the running and Needs-you counts in its tooltip and menu
 * (and beside it on macOS, where the menu bar has room for a number), and a way back to the window.
 */
export class TrayIcon {
  private tray: DesktopTray | null = null;
  private counts: TaskCounts = { running: 0, needsYou: 0 };

  constructor(
    private readonly deps: {
      electron: Pick<DesktopElectron, 'Tray' | 'Menu' | 'nativeImage'>;
      platform: NodeJS.Platform;
      onShowWindow(): void;
    },
  ) {}

  get isShown(): boolean {
    return this.tray !== null;
  }

  setShown(isShown: boolean): void {
    if (isShown === this.isShown) return;
    if (!isShown) {
      this.tray?.destroy();
      this.tray = null;
      return;
    }
    this.tray = new this.deps.electron.Tray(this.deps.electron.nativeImage.createFromDataURL(TRAY_ICON));
    // Windows and most Linux trays: a click on the icon itself opens the window (its menu is on right-click).
    if (this.deps.platform !== 'darwin') this.tray.on('click', () => this.deps.onShowWindow());
    this.render();
  }

  update(counts: TaskCounts): void {
    this.counts = counts;
    this.render();
  }

  dispose(): void {
    this.setShown(false);
  }

  private render(): void {
    if (!this.tray) return;
    const summary = describeCounts(this.counts);
    this.tray.setToolTip(`Flotilla: ${summary}`);
    if (this.deps.platform === 'darwin') this.tray.setTitle(this.counts.needsYou > 0 ? String(this.counts.needsYou) : '');
    const menu = this.deps.electron.Menu.buildFromTemplate([
      { label: `${this.counts.running} running`, enabled: false },
      { label: describeNeedsYou(this.counts.needsYou), enabled: false },
      { type: 'separator' },
      { label: 'Show Flotilla', click: () => this.deps.onShowWindow() },
      { type: 'separator' },
      { role: 'quit', label: 'Quit Flotilla' },
    ]);
    this.tray.setContextMenu(menu);
  }
}
