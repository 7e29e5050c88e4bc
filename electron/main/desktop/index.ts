import { APP_ACTION_CHANNEL, type AppAction } from '../../../shared/contracts/menuActions.js';
import type { Host } from '../../core/hostTypes.js';
import { appMenuTemplate } from './appMenu.js';
import { startDesktopAttention } from './desktopAttention.js';
import type { DesktopElectron, DesktopWindow } from './desktopElectron.js';
import { loadDesktopPrefs, saveDesktopPrefs } from './desktopPrefs.js';
import type { TimerApi } from './timers.js';
import { createNotifier } from './notifier.js';
import { launchPath, openRepo, type RepoOpenerDeps } from './openRequests.js';
import { showNeedsYouBadge } from './taskbarBadge.js';
import { TrayIcon } from './trayIcon.js';
import { loadWindowState, restoreWindowState, trackWindowState } from './windowState.js';

export type { DesktopElectron, DesktopWindow } from './desktopElectron.js';

export interface DesktopDeps {
  /** What the integration uses of the host: its task list and events, and `repos.open`. */
  host: Pick<Host, 'handlers' | 'onEvent'>;
  /** The main window, or null while there is none (macOS keeps running with no window). */
  getWindow(): DesktopWindow | null;
  /** FLOTILLA_HOME: window-state.json and desktop.json live there. */
  home: string;
  /** "Check for Updates…" in the menu. */
  checkForUpdates(): void;
  /** The first launch's command line and its directory (a path in it is opened); default process.argv and cwd. */
  argv?: readonly string[];
  cwd?: string;
  platform?: NodeJS.Platform;
  timers?: TimerApi;
}

/** The window's background before the page paints, per OS theme: --bg of renderer/src/theme/tokens.css. */
const BACKGROUND = { light: '#f6f6f7', dark: '#101012' };

/**
 * Everything that makes Flotilla feel like a desktop app, wired to the host: the application menu,
 * notifications and the badge, the optional tray icon, the window's size and place kept across
 * starts, the OS's light or dark theme, and repos opened from a second launch.
 *
 * Call it once the app is ready and the host is up, and before the main window is created: a
 * window is placed where the last one was as Electron creates it (`browser-window-created`). A
 * window that already exists is saved and themed but not moved. Await the returned disposer on
 * quit, before the host is disposed: it stops following the host and writes what is pending.
 */
export function installDesktopIntegration(electron: DesktopElectron, deps: DesktopDeps): () => Promise<void> {
  const { app } = electron;
  const platform = deps.platform ?? process.platform;
  const disposers: Array<() => unknown> = [];

  const focusWindow = () => {
    const window = deps.getWindow();
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    if (!window.isVisible()) window.show();
    // From a notification or another launch the app is in the background: macOS brings a
    // window forward only with its app.
    if (platform === 'darwin') app.focus({ steal: true });
    window.focus();
  };
  // To the page, once it can hear it: a message sent while it loads would reach no listener.
  const sendToPage = (action: AppAction) => {
    const window = deps.getWindow();
    if (!window || window.isDestroyed()) return;
    const send = () => window.webContents.send(APP_ACTION_CHANNEL, action);
    if (window.webContents.isLoading()) window.webContents.once('did-finish-load', send);
    else send();
  };
  const notifier = createNotifier(electron.Notification, platform);
  disposers.push(() => notifier.dispose());
  const notifyFailure = (message: string) => {
    console.error(`flotilla: ${message}`);
    notifier.show({ title: 'Flotilla', body: message });
  };
  const opener: RepoOpenerDeps = { host: deps.host, focusWindow, onFailure: notifyFailure };

  // Light and dark follow the OS; the page follows it too (prefers-color-scheme) unless the user
  // chose a theme in the UI. The window's own background follows, so a resize never flashes white.
  electron.nativeTheme.themeSource = 'system';
  const background = () => (electron.nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light);
  const onThemeUpdated = () => {
    const window = deps.getWindow();
    if (window && !window.isDestroyed()) window.setBackgroundColor(background());
  };
  electron.nativeTheme.on('updated', onThemeUpdated);
  disposers.push(() => electron.nativeTheme.removeListener('updated', onThemeUpdated));

  // The tray, off unless the user turned it on (View menu); remembered in desktop.json.
  const prefs = loadDesktopPrefs(deps.home);
  let prefsSaved: Promise<void> = Promise.resolve();
  const tray = new TrayIcon({ electron, platform, onShowWindow: focusWindow });
  tray.setShown(prefs.showTray);
  disposers.push(() => tray.dispose());

  electron.Menu.setApplicationMenu(
    electron.Menu.buildFromTemplate(
      appMenuTemplate({
        platform,
        appName: app.getName(),
        isPackaged: app.isPackaged,
        onAction: (action) => {
          focusWindow();
          sendToPage({ kind: action });
        },
        onCheckForUpdates: () => deps.checkForUpdates(),
        isTrayShown: prefs.showTray,
        onToggleTray: (isShown) => {
          tray.setShown(isShown);
          prefs.showTray = isShown;
          // One write at a time (they share a temporary file), each with the latest choice.
          prefsSaved = prefsSaved
            .then(() => saveDesktopPrefs(deps.home, prefs))
            .catch((error: unknown) => console.error('flotilla: could not save desktop.json', error));
        },
      }),
    ),
  );

  disposers.push(
    startDesktopAttention({
      notifier,
      showBadge: (needsYou) => showNeedsYouBadge(electron, platform, deps.getWindow(), needsYou),
      host: deps.host,
      getWindow: deps.getWindow,
      openTask: (taskId) => {
        focusWindow();
        sendToPage({ kind: 'openTask', taskId });
      },
      focusWindow,
      onDidChangeCounts: (counts) => tray.update(counts),
      ...(deps.timers ? { timers: deps.timers } : {}),
    }),
  );

  // Each new window: where it was last time, its size and place saved as they change, and the
  // repo the first launch named opened once its page can follow. The latest known state comes
  // from the file at start, then from the window itself (a window reopened on macOS comes back
  // where the last one was, whether or not its save has landed).
  let savedState = loadWindowState(deps.home);
  let firstLaunchPath = launchPath(deps.argv ?? process.argv, { isPackaged: app.isPackaged, cwd: deps.cwd ?? process.cwd() });
  const windowFlushes: Array<() => Promise<void>> = [];
  const adoptWindow = (window: DesktopWindow, isNew: boolean) => {
    window.setBackgroundColor(background());
    if (savedState && isNew) restoreWindowState(window, savedState, electron.screen);
    windowFlushes.push(trackWindowState(window, deps.home, { ...(deps.timers ? { timers: deps.timers } : {}), onSnapshot: (state) => (savedState = state) }));
    const repoPath = firstLaunchPath;
    firstLaunchPath = null;
    if (repoPath === null) return;
    // A new window has not started loading yet: wait for its page. One that was there before
    // this was installed may have loaded already.
    if (isNew || window.webContents.isLoading()) window.webContents.once('did-finish-load', () => void openRepo(opener, repoPath));
    else void openRepo(opener, repoPath);
  };
  const onWindowCreated = (_event: unknown, window: DesktopWindow) => adoptWindow(window, true);
  app.on('browser-window-created', onWindowCreated);
  disposers.push(() => app.removeListener('browser-window-created', onWindowCreated));
  // Installed after the window was made (it should be before: see the doc comment): it is not
  // moved, but still saved and themed.
  const existing = deps.getWindow();
  if (existing && !existing.isDestroyed()) adoptWindow(existing, false);

  // One app per data folder (main.ts holds the single-instance lock): a second launch hands its
  // path to this one, which adds and shows that repo; without a path it just comes to the front.
  const onSecondInstance = (_event: unknown, argv: string[], workingDirectory: string) => {
    const repoPath = launchPath(argv, { isPackaged: app.isPackaged, cwd: workingDirectory });
    if (repoPath === null) focusWindow();
    else void openRepo(opener, repoPath);
  };
  app.on('second-instance', onSecondInstance);
  disposers.push(() => app.removeListener('second-instance', onSecondInstance));
  // macOS: a folder dropped on the dock icon, or `open -a Flotilla PATH`.
  const onOpenFile = (event: { preventDefault(): void }, filePath: string) => {
    event.preventDefault();
    void openRepo(opener, filePath);
  };
  app.on('open-file', onOpenFile);
  disposers.push(() => app.removeListener('open-file', onOpenFile));

  let disposed: Promise<void> | null = null;
  return () => {
    disposed ??= (async () => {
      for (const dispose of disposers.reverse()) await dispose();
      await Promise.all([...windowFlushes.map((flush) => flush()), prefsSaved]);
    })();
    return disposed;
  };
}
