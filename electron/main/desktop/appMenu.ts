import { MENU_ACTION_SPECS, type MenuAction } from '../../../shared/contracts/menuActions.js';
import type { MenuTemplate } from './desktopElectron.js';

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** A Flotilla action chosen from the menu: the page runs it as if its shortcut was pressed. */
  onAction(action: MenuAction): void;
  onCheckForUpdates(): void;
  /** Packaged builds have no developer tools item. */
  isPackaged: boolean;
  isTrayShown: boolean;
  onToggleTray(isShown: boolean): void;
}

/**
 * The application menu: the platform's standard roles (the app menu on macOS; Edit, View,
 * Window, Help) and Flotilla's actions with the accelerators of the web UI's shortcuts, from
 * the same table (shared/contracts/menuActions.ts). Electron gives a menu accelerator only the
 * key presses the page did not take, and the page takes these itself, so a key runs its action
 * once, in the page, in the desktop app as in a browser; choosing the item runs the same action.
 */
export function appMenuTemplate(options: AppMenuOptions): MenuTemplate {
  const isMac = options.platform === 'darwin';
  const action = (name: MenuAction) => ({
    label: MENU_ACTION_SPECS[name].label,
    accelerator: MENU_ACTION_SPECS[name].accelerator,
    click: () => options.onAction(name),
  });
  const checkForUpdates = { label: 'Check for Updates…', click: () => options.onCheckForUpdates() };
  const showTray = {
    label: isMac ? 'Show in Menu Bar' : 'Show in Tray',
    type: 'checkbox' as const,
    checked: options.isTrayShown,
    click: (item: { checked: boolean }) => options.onToggleTray(item.checked),
  };
  const appMenu: MenuTemplate = isMac
    ? [
        {
          label: options.appName,
          submenu: [
            { role: 'about' },
            checkForUpdates,
            { type: 'separator' },
            action('settings'),
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  const fileMenu: MenuTemplate = [
    {
      label: 'File',
      submenu: [action('newTask'), { type: 'separator' }, ...(isMac ? [{ role: 'close' as const }] : [action('settings'), { type: 'separator' as const }, { role: 'quit' as const }])],
    },
  ];
  return [
    ...appMenu,
    ...fileMenu,
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        action('commandPalette'),
        action('toggleTerminal'),
        { type: 'separator' },
        action('nextTask'),
        action('previousTask'),
        { type: 'separator' },
        showTray,
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { type: 'separator' },
        { role: 'reload' },
        ...(options.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
    // macOS has both in the app menu.
    ...(isMac ? [] : [{ role: 'help' as const, submenu: [checkForUpdates, { type: 'separator' as const }, { role: 'about' as const }] }]),
  ];
}
