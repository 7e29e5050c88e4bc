import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, Handlers } from '../../../shared/contract.js';
import { APP_ACTION_CHANNEL, MENU_ACTION_SPECS, MENU_ACTIONS } from '../../../shared/contracts/menuActions.js';
import type { Task } from '../../../shared/model/task.js';
import { startRealHost } from '../../../test/fixtures/realHost.js';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import { makeTempRepo } from '../../../test/fixtures/tempRepo.js';
import type { Host, HostEventListener } from '../../core/hostTypes.js';
import { installDesktopIntegration, type DesktopDeps } from './index.js';
import { createFakeElectron, FakeWindow, menuItems, type FakeElectron, type MenuItem } from './testing/fakeElectron.js';
import { manualTimers } from './testing/manualTimers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-desktop-'));
  cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
  return home;
}

type ScriptedHost = Pick<Host, 'handlers' | 'onEvent'> & { emit<E extends EventName>(event: E, payload: EventPayload<E>): void };

/** A host that only answers `tasks.list` and lets the test emit events: enough for notifications and the badge. */
function scriptedHost(initial: Task[] = []): ScriptedHost {
  const listeners = new Set<HostEventListener>();
  const handlers = { 'tasks.list': async () => ({ tasks: initial }) } as Partial<Handlers> as Handlers;
  return {
    handlers,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event, payload) => {
      for (const listener of listeners) listener(event, payload);
    },
  };
}

interface Installed {
  electron: FakeElectron;
  window: FakeWindow;
  updateChecks: number[];
  dispose: () => Promise<void>;
}

function install(host: Pick<Host, 'handlers' | 'onEvent'>, overrides: Partial<DesktopDeps> & { electron?: FakeElectron } = {}): Installed {
  const electron = overrides.electron ?? createFakeElectron();
  let window: FakeWindow | null = null;
  const updateChecks: number[] = [];
  const dispose = installDesktopIntegration(electron, {
    host,
    getWindow: () => window,
    home: overrides.home ?? tempHome(),
    checkForUpdates: () => updateChecks.push(1),
    argv: overrides.argv ?? ['/usr/bin/electron', '/app'],
    cwd: overrides.cwd ?? '/',
    platform: overrides.platform ?? 'linux',
    ...(overrides.timers ? { timers: overrides.timers } : {}),
  });
  cleanups.push(dispose);
  window = electron.app.createWindow(new FakeWindow());
  return { electron, window, updateChecks, dispose };
}

function menuItem(electron: FakeElectron, label: string): MenuItem {
  const menu = electron.applicationMenu();
  const item = menu ? menuItems(menu.template).find((candidate) => candidate.label === label) : undefined;
  if (!item) throw new Error(`no menu item "${label}"`);
  return item;
}

function clickItem(item: MenuItem): void {
  (item.click as (item: { checked: boolean }) => void)({ checked: !item.checked });
}

/** Resolves once `check` holds; host events and file writes come on their own time. */
async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe('the application menu', () => {
  it('has the standard roles on Linux and on macOS, where the app menu comes first', () => {
    const linux = install(scriptedHost()).electron.applicationMenu()?.template ?? [];
    expect(linux.map((item) => item.role ?? item.label)).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help']);
    const mac = install(scriptedHost(), { platform: 'darwin' }).electron.applicationMenu()?.template ?? [];
    expect(mac.map((item) => item.role ?? item.label)).toEqual(['Flotilla', 'File', 'editMenu', 'View', 'windowMenu']);
    const appMenuRoles = menuItems(mac.slice(0, 1)).map((item) => item.role);
    expect(appMenuRoles).toEqual(expect.arrayContaining(['about', 'hide', 'hideOthers', 'unhide', 'quit']));
  });

  it('lists every Flotilla action with the accelerator of its keyboard shortcut in the page', () => {
    const { electron } = install(scriptedHost());
    for (const action of MENU_ACTIONS) {
      expect(menuItem(electron, MENU_ACTION_SPECS[action].label).accelerator).toBe(MENU_ACTION_SPECS[action].accelerator);
    }
    expect(menuItem(electron, 'New Task…').accelerator).toBe('CmdOrCtrl+N');
    expect(menuItem(electron, 'Command Palette…').accelerator).toBe('CmdOrCtrl+K');
  });

  it('sends a chosen action to the page, bringing the window forward', () => {
    const { electron, window } = install(scriptedHost());
    window.isMinimizedNow = true;
    clickItem(menuItem(electron, 'Next Task'));
    expect(window.isMinimized()).toBe(false);
    expect(window.isFocused()).toBe(true);
    expect(window.webContents.sent).toEqual([{ channel: APP_ACTION_CHANNEL, args: [{ kind: 'nextTask' }] }]);
  });

  it('waits for a page that is still loading before sending it an action', () => {
    const { electron, window } = install(scriptedHost());
    window.webContents.isLoadingNow = true;
    clickItem(menuItem(electron, 'Settings…'));
    expect(window.webContents.sent).toEqual([]);
    window.webContents.finishLoad();
    expect(window.webContents.sent).toEqual([{ channel: APP_ACTION_CHANNEL, args: [{ kind: 'settings' }] }]);
  });

  it('runs the update check from “Check for Updates…”', () => {
    const { electron, updateChecks } = install(scriptedHost());
    clickItem(menuItem(electron, 'Check for Updates…'));
    expect(updateChecks).toHaveLength(1);
  });

  it('has no developer tools in a packaged app', () => {
    const electron = createFakeElectron();
    expect(menuItems(install(scriptedHost(), { electron }).electron.applicationMenu()?.template ?? []).some((i) => i.role === 'toggleDevTools')).toBe(true);
    const packaged = createFakeElectron();
    packaged.app.isPackaged = true;
    expect(menuItems(install(scriptedHost(), { electron: packaged }).electron.applicationMenu()?.template ?? []).some((i) => i.role === 'toggleDevTools')).toBe(false);
  });
});

describe('notifications and the badge', () => {
  it('notifies a task that needs the user, once, and a click opens it in the window', async () => {
    const host = scriptedHost([taskRecord({ id: 't1', status: 'running', title: 'Fix login' })]);
    const { electron, window } = install(host);
    await eventually(() => electron.app.badgeCounts.length > 0);
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't1', status: 'failed', title: 'Fix login', statusReason: 'tests failed' }) });
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't1', status: 'failed', title: 'Fix login', statusReason: 'tests failed', updatedAt: 7 }) });
    expect(electron.notifications.map((n) => n.options)).toEqual([{ title: '“Fix login” failed', body: 'tests failed' }]);
    expect(electron.notifications[0]?.isShown).toBe(true);
    window.isVisibleNow = false;
    electron.notifications[0]?.click();
    expect(window.isVisible() && window.isFocused()).toBe(true);
    expect(window.webContents.sent).toEqual([{ channel: APP_ACTION_CHANNEL, args: [{ kind: 'openTask', taskId: 't1' }] }]);
  });

  it('on macOS, a click brings the app forward over the others, not just its window', async () => {
    const host = scriptedHost();
    const { electron } = install(host, { platform: 'darwin' });
    await eventually(() => electron.app.badgeCounts.length > 0);
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't1', status: 'review' }) });
    electron.notifications[0]?.click();
    expect(electron.app.focusSteals).toBe(1);
  });

  it('sums up a fleet finishing together in one notification; its click shows the board', async () => {
    const host = scriptedHost();
    const timers = manualTimers();
    const { electron, window } = install(host, { timers });
    await eventually(() => electron.app.badgeCounts.length > 0);
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't1', status: 'review', title: 'One' }) });
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't2', status: 'failed', title: 'Two' }) });
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't3', status: 'review', title: 'Three' }) });
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't4', status: 'needs_input', title: 'Four' }) });
    // The first at once, the rest when the 2 s window ends: together.
    expect(electron.notifications.map((n) => n.options.title)).toEqual(['“One” is ready for review']);
    timers.fire();
    expect(electron.notifications.map((n) => n.options)).toEqual([
      { title: '“One” is ready for review', body: '' },
      { title: '1 task needs you · 1 failed · 1 ready for review', body: '• “Four” needs you\n• “Two” failed\n• “Three” is ready for review' },
    ]);
    electron.notifications[1]?.click();
    expect(window.isFocused()).toBe(true);
    expect(window.webContents.sent).toEqual([]);
  });

  it('shows the agent’s words as text on Linux, where notification bodies are markup', async () => {
    const reason = 'see <a href="https://evil.example">docs</a> & <img src="file:///etc/passwd">';
    for (const platform of ['linux', 'darwin'] as const) {
      const host = scriptedHost();
      const { electron } = install(host, { platform });
      await eventually(() => electron.app.badgeCounts.length > 0);
      host.emit('tasks.onDidChange', { task: taskRecord({ id: 't1', status: 'failed', title: '<b>x</b>', statusReason: reason }) });
      expect(electron.notifications[0]?.options).toEqual(
        platform === 'linux'
          ? { title: '“<b>x</b>” failed', body: 'see &lt;a href="https://evil.example"&gt;docs&lt;/a&gt; &amp; &lt;img src="file:///etc/passwd"&gt;' }
          : { title: '“<b>x</b>” failed', body: reason },
      );
    }
  });

  it('stays quiet while the window is in front: the board already shows it', async () => {
    const host = scriptedHost();
    const { electron, window } = install(host);
    await eventually(() => electron.app.badgeCounts.length > 0);
    window.isFocusedNow = true;
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't1', status: 'review' }) });
    expect(electron.notifications).toEqual([]);
  });

  it('keeps the dock badge at the Needs you count, and clears it on dispose', async () => {
    const host = scriptedHost([taskRecord({ id: 't1', status: 'needs_input' }), taskRecord({ id: 't2', status: 'running' })]);
    const { electron, dispose } = install(host);
    await eventually(() => electron.app.badgeCounts.at(-1) === 1);
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't2', status: 'failed' }) });
    expect(electron.app.badgeCounts.at(-1)).toBe(2);
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't1', status: 'running' }) });
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't2', status: 'discarded' }) });
    expect(electron.app.badgeCounts.at(-1)).toBe(0);
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't3', status: 'needs_input' }) });
    expect(electron.app.badgeCounts.at(-1)).toBe(1);
    await dispose();
    expect(electron.app.badgeCounts.at(-1)).toBe(0);
  });

  it('on Windows, where the taskbar has no number badge, puts a dot that says the count over its button', async () => {
    const host = scriptedHost([taskRecord({ id: 't1', status: 'needs_input' })]);
    const { window } = install(host, { platform: 'win32' });
    await eventually(() => window.overlay === '1 needs you');
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't2', status: 'failed' }) });
    expect(window.overlay).toBe('2 need you');
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't1', status: 'running' }) });
    host.emit('tasks.onDidChange', { task: taskRecord({ id: 't2', status: 'discarded' }) });
    expect(window.overlay).toBeNull();
  });
});

describe('the tray icon', () => {
  it('is off by default; the View menu turns it on, it shows the counts, and the choice is kept', async () => {
    const home = tempHome();
    const host = scriptedHost([taskRecord({ id: 't1', status: 'running' }), taskRecord({ id: 't2', status: 'needs_input' })]);
    const first = install(host, { home, platform: 'darwin' });
    expect(first.electron.trays).toEqual([]);
    clickItem(menuItem(first.electron, 'Show in Menu Bar'));
    const [tray] = first.electron.trays;
    await eventually(() => tray?.toolTip === 'Flotilla: 1 running · 1 needs you');
    expect(tray?.title).toBe('1');
    const labels = menuItems(tray?.contextMenu?.template ?? []).map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(['1 running', '1 needs you', 'Show Flotilla', 'Quit Flotilla']));
    await eventually(() => fs.existsSync(path.join(home, 'desktop.json')));
    await first.dispose();
    expect(tray?.isDestroyed).toBe(true);

    const second = install(scriptedHost(), { home });
    // Linux and Windows: a click on the icon opens the window.
    second.window.isVisibleNow = false;
    second.electron.trays[0]?.emit('click');
    expect(second.window.isVisible()).toBe(true);
    expect(second.electron.trays).toHaveLength(1);
    expect(menuItem(second.electron, 'Show in Tray').checked).toBe(true);
    clickItem(menuItem(second.electron, 'Show in Tray'));
    expect(second.electron.trays[0]?.isDestroyed).toBe(true);
  });
});

describe('light and dark', () => {
  it('follows the OS, and the window background follows it too', () => {
    const { electron, window } = install(scriptedHost());
    expect(electron.nativeTheme.themeSource).toBe('system');
    expect(window.backgroundColor).toBe('#f6f6f7');
    electron.setDark(true);
    expect(window.backgroundColor).toBe('#101012');
  });
});

describe('opening a repo from outside the window', () => {
  async function realHostAndRepo() {
    const real = await startRealHost();
    cleanups.push(() => real.dispose());
    const repo = await makeTempRepo();
    cleanups.push(() => repo.cleanup());
    const opened: string[] = [];
    real.host.onEvent((event, payload) => {
      if (event === 'repos.onDidOpen') opened.push((payload as EventPayload<'repos.onDidOpen'>).repo.path);
    });
    return { real, repo, opened };
  }

  it('a second launch with a path adds that repo and has the window select it', async () => {
    const { real, repo, opened } = await realHostAndRepo();
    const { electron, window } = install(real.host, { home: real.home });
    window.isMinimizedNow = true;
    const parent = path.dirname(repo.path);
    electron.app.emit('second-instance', {}, ['/opt/Flotilla/flotilla', '--enable-features=X', path.basename(repo.path)], parent);
    await eventually(() => opened.length > 0);
    expect(opened).toEqual([repo.path]);
    expect((await real.host.handlers['repos.list']({})).repos.map((r) => r.path)).toEqual([repo.path]);
    expect(window.isMinimized()).toBe(false);
    expect(window.isFocused()).toBe(true);
  });

  it('a second launch without a path only brings the window forward', async () => {
    const { real, opened } = await realHostAndRepo();
    const { electron, window } = install(real.host, { home: real.home });
    window.isMinimizedNow = true;
    electron.app.emit('second-instance', {}, ['/opt/Flotilla/flotilla', '/app'], '/');
    expect(window.isMinimized()).toBe(false);
    expect(opened).toEqual([]);
  });

  it('a path that is no repo is said in a notification', async () => {
    const { real } = await realHostAndRepo();
    const { electron } = install(real.host, { home: real.home });
    const notRepo = tempHome();
    electron.app.emit('second-instance', {}, ['/usr/bin/electron', '/app', notRepo], '/');
    await eventually(() => electron.notifications.length > 0);
    expect(electron.notifications[0]?.options.body).toContain(`Could not open ${notRepo}`);
  });

  it('the first launch’s path is opened too when the window was there before the integration', async () => {
    const { real, repo, opened } = await realHostAndRepo();
    const electron = createFakeElectron();
    const window = new FakeWindow();
    const home = real.home;
    fs.writeFileSync(path.join(home, 'window-state.json'), JSON.stringify({ x: 10, y: 40, width: 900, height: 600, isMaximized: false }));
    const dispose = installDesktopIntegration(electron, {
      host: real.host,
      getWindow: () => window,
      home,
      checkForUpdates: () => undefined,
      argv: ['/usr/bin/electron', '/app', repo.path],
      platform: 'linux',
    });
    cleanups.push(dispose);
    await eventually(() => opened.length > 0);
    expect(opened).toEqual([repo.path]);
    // Already on screen: left where it is.
    expect(window.bounds).toEqual({ x: 100, y: 100, width: 1280, height: 820 });
  });

  it('the first launch’s path is opened once the page has loaded, so it hears the event', async () => {
    const { real, repo, opened } = await realHostAndRepo();
    const { window } = install(real.host, { home: real.home, argv: ['/usr/bin/electron', '/app', repo.path] });
    expect(opened).toEqual([]);
    window.webContents.finishLoad();
    await eventually(() => opened.length > 0);
    expect(opened).toEqual([repo.path]);
  });
});
