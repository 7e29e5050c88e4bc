import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/contract.js';
import { INVOKE_CHANNEL, type InvokeReply } from '../../shared/contracts/wire.js';
import type { Task } from '../../shared/model/task.js';
import { makeTempHome, runCli } from '../../test/fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../../test/fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../../test/fixtures/tempRepo.js';
import { createHost } from '../core/host.js';
import { isAlive } from '../core/terminal/testTerminals.js';
import { rendererDir } from '../core/util/paths.js';
import { claimServerFile, serverFilePath, writeServerFile } from '../transport/serverFile.js';
import { APP_INDEX_URL } from './appProtocol.js';
import { startDesktopApp, type DesktopApp } from './desktopApp.js';
import { fakeElectron, fakeEvent, FakeFrame, FakeWebContents, type FakeBrowserWindow, type FakeElectron } from './testing/fakeElectron.js';

/**
 * The composition root with a fake `electron` module (no Electron binary here) and everything
 * else real: the host on a temp FLOTILLA_HOME, its loopback API, the agent worker and the pty
 * host (as utility processes), bubblewrap, and the scripted model server.
 */

let electron: FakeElectron;
let desktop: DesktopApp;
let model: ModelServer;
let repo: TempRepo;
let home: string;
let env: NodeJS.ProcessEnv;
/** What onHostReady saw and whether its disposer ran. */
const hostReady = { windowsAtCall: -1, home: '', isDisposed: false };

beforeAll(async () => {
  model = await startModelServer({ scenarios: [{ name: 'slow', match: 'slow', steps: [{ type: 'shell', command: 'sleep 30' }, { type: 'message', text: 'slept' }] }] });
  repo = await makeTempRepo({ files: { 'README.md': '# demo\n' } });
  home = makeTempHome();
  env = { ...process.env, FLOTILLA_HOME: home, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test-desktop' };
  electron = fakeElectron();
  desktop = startDesktopApp(electron.module, {
    env,
    platform: 'linux',
    // The login shell has its own tests (loginShellEnv.test.ts); here the environment is the test's.
    isLaunchedFromTerminal: true,
    preloadPath: '/app/out/electron/preload/preload.cjs',
    rendererDir: rendererDir(),
    log: () => {},
    onHostReady: (context) => {
      hostReady.windowsAtCall = electron.windows.length;
      hostReady.home = context.home;
      return () => {
        hostReady.isDisposed = true;
      };
    },
  });
  electron.app.becomeReady();
  await desktop.ready;
  if (!desktop.host) throw new Error(`the app did not start: ${JSON.stringify(electron.errorBoxes)}`);
}, 120_000);

afterAll(async () => {
  if (electron && !electron.app.hasQuit) {
    electron.answerNextMessageBox(0);
    electron.app.quit();
    await until('the app to quit', () => electron.app.hasQuit);
  }
  electron?.utility.dispose();
  await model?.close();
  await repo?.cleanup();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function mainWindow(): FakeBrowserWindow {
  const window = electron.windows[0];
  if (!window) throw new Error('no window');
  return window;
}

/** An IPC call as the renderer makes it, from `sender`'s `frame` (default: our window's main frame). */
function invoke(method: string, input: unknown, from: { sender?: FakeWebContents; frame?: FakeFrame } = {}): Promise<InvokeReply> {
  const handler = electron.ipcHandlers.get(INVOKE_CHANNEL);
  if (!handler) throw new Error('no IPC handler');
  const sender = from.sender ?? mainWindow().webContents;
  return handler({ sender, senderFrame: from.frame ?? sender.mainFrame }, method, input) as Promise<InvokeReply>;
}

async function task(id: string): Promise<Task> {
  const reply = await invoke('tasks.get', { id });
  if (!reply.ok) throw new Error(reply.message);
  return (reply.output as { task: Task }).task;
}

describe('the desktop app, with a fake electron module', () => {
  it('opens one sandboxed, context-isolated window without Node, with the preload; every renderer is sandboxed', () => {
    expect(electron.app.isSandboxEnabled).toBe(true);
    expect(electron.windows).toHaveLength(1);
    const prefs = mainWindow().options.webPreferences;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, preload: '/app/out/electron/preload/preload.cjs' });
    expect(mainWindow().webContents.getURL()).toBe(APP_INDEX_URL);
    expect(mainWindow().isShown).toBe(true);
    expect(electron.protocolHandlers.has('flotilla')).toBe(true);
    // The desktop integration's hook runs with the host up and before the window exists.
    expect(hostReady).toEqual({ windowsAtCall: 0, home, isDisposed: false });
  });

  it('answers every contract method over IPC from its window', async () => {
    for (const method of METHOD_NAMES) {
      const reply = await invoke(method, {});
      expect(reply.ok ? 'ok' : reply.message, method).not.toMatch(/unknown method|refused/);
    }
  });

  it('refuses calls from another web contents, a subframe, or a page that is not ours', async () => {
    expect(await invoke('tasks.list', {})).toMatchObject({ ok: true });
    const refused = { ok: false, message: 'refused: the call did not come from the Flotilla window' };
    expect(await invoke('tasks.list', {}, { sender: new FakeWebContents() })).toEqual(refused);
    expect(await invoke('tasks.list', {}, { frame: new FakeFrame(APP_INDEX_URL) })).toEqual(refused);
    const frame = mainWindow().webContents.mainFrame;
    frame.url = 'https://evil.example/';
    try {
      expect(await invoke('tasks.list', {})).toEqual(refused);
    } finally {
      frame.url = APP_INDEX_URL;
    }
  });

  it('denies navigation away from its pages and every new window; only web links open, in the browser', () => {
    const contents = mainWindow().webContents;
    const away = fakeEvent('https://evil.example/');
    contents.emit('will-navigate', away);
    expect(away.isPrevented).toBe(true);
    const ours = fakeEvent('flotilla://app/index.html#/task/1');
    contents.emit('will-navigate', ours);
    expect(ours.isPrevented).toBe(false);
    const redirect = fakeEvent('file:///etc/passwd');
    contents.emit('will-redirect', redirect);
    expect(redirect.isPrevented).toBe(true);
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.isPrevented).toBe(true);

    expect(contents.windowOpenHandler?.({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'smb://host/share' })).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual(['https://example.com/docs']);
  });

  it("keeps Chromium's own data in FLOTILLA_HOME/electron, set before ready (not mixed with Flotilla's files)", () => {
    expect(electron.app.paths.get('userData')).toBe(path.join(home, 'electron'));
  });

  it('claims FLOTILLA_HOME like `flotilla serve`: the CLI works against the running app', async () => {
    const info = JSON.parse(fs.readFileSync(serverFilePath(home), 'utf8')) as { pid: number; url: string };
    expect(info.pid).toBe(process.pid);
    expect(new URL(info.url).hostname).toBe('127.0.0.1');
    const added = await runCli(['repo', 'add', repo.path], { env });
    expect(added.code).toBe(0);
    const listed = await invoke('repos.list', {});
    expect(listed.ok && (listed.output as { repos: Array<{ path: string }> }).repos.map((r) => path.basename(r.path))).toEqual([path.basename(repo.path)]);
  });

  it('keeps provider keys encrypted with safeStorage: never in clear on disk, never in a reply', async () => {
    const secret = 'sk-proj-desktop0key0abcdefghijklmnop';
    const added = await invoke('providers.add', { name: 'work', baseURL: model.url, api: 'responses', model: 'scripted', apiKey: secret, replace: true });
    expect(added.ok && JSON.stringify(added.output)).not.toContain(secret);
    const encrypted = fs.readFileSync(path.join(home, 'provider-keys.safe.json'), 'utf8');
    expect(encrypted).not.toContain(secret);
    expect(Object.keys(JSON.parse(encrypted) as object)).toEqual(['work']);
    expect(fs.existsSync(path.join(home, 'provider-keys.json'))).toBe(false);
    const listed = await invoke('providers.list', {});
    if (!listed.ok) throw new Error(listed.message);
    expect(JSON.stringify(listed.output)).not.toContain(secret);
    expect(listed.output).toMatchObject({ keyStorage: { kind: 'safeStorage', warning: null }, providers: [{ name: 'work', hasKey: true }] });
    // The CLI against the running app sees the same profile, and its key only as "set".
    const cli = await runCli(['provider', 'list'], { env });
    expect(cli.stdout).toContain('work  responses');
    expect(cli.stdout).toContain('encrypted with the OS keychain');
    expect(cli.stdout).not.toContain(secret);
    // Later tests run on the environment's model server, as before.
    expect((await invoke('providers.remove', { name: 'work' })).ok).toBe(true);
  });

  it('runs the agent worker and the pty host as utility processes, never with ELECTRON_RUN_AS_NODE', async () => {
    const created = await invoke('tasks.create', { repo: repo.path, prompt: 'a slow job' });
    if (!created.ok) throw new Error(created.message);
    const { id } = (created.output as { task: Task }).task;
    // The agent's `sleep 30` runs on a pty in the pty host: both helpers are up once it started.
    await until('the command to start', async () => {
      const events = await invoke('tasks.events', { id });
      return events.ok && (events.output as { events: Array<{ body: { kind: string } }> }).events.some((e) => e.body.kind === 'command_started');
    });
    const scripts = () => electron.utility.forks.map((fork) => path.basename(fork.modulePath));
    // Intent is journalled before the command is spawned: the pty host may start just after.
    await until('the pty host to start', () => scripts().includes('ptyHost.js'));
    expect(scripts()).toContain('agentWorker.js');
    for (const fork of electron.utility.forks) expect(fork.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect((await task(id)).status).toBe('running');
  });

  it('reports a crashed pty host on the running task and restarts it at once', async () => {
    const [working] = desktop.host?.workingTasks() ?? [];
    if (!working) throw new Error('no running task');
    const ptyHosts = () => electron.utility.forks.filter((fork) => fork.modulePath.endsWith('ptyHost.js'));
    const crashed = ptyHosts().at(-1)?.child.pid;
    expect(crashed).toBeDefined();
    process.kill(crashed ?? 0, 'SIGKILL');
    await until('the crash on the task', async () => {
      const events = await invoke('tasks.events', { id: working.id });
      return events.ok && (events.output as { events: Array<{ body: { kind: string; message?: string } }> }).events.some((e) => e.body.kind === 'error' && /terminal process crashed .*it was restarted/.test(e.body.message ?? ''));
    });
    const restarted = ptyHosts().at(-1)?.child.pid;
    expect(restarted).not.toBe(crashed);
    expect(isAlive(restarted ?? 0)).toBe(true);
  });

  it('a second launch restores and focuses the window', () => {
    const window = mainWindow();
    window.minimize();
    const focused = window.focusCount;
    electron.app.emit('second-instance', fakeEvent(), ['flotilla'], '/');
    expect(window.restoreCount).toBe(1);
    expect(window.isMinimized()).toBe(false);
    expect(window.focusCount).toBe(focused + 1);
    expect(electron.windows).toHaveLength(1);
  });

  it('asks before quitting with a task running: Cancel keeps it running, Quit interrupts it, and it resumes at the next start', async () => {
    const created = await invoke('tasks.create', { repo: repo.path, prompt: 'another slow job' });
    if (!created.ok) throw new Error(created.message);
    const { id } = (created.output as { task: Task }).task;
    await until('the new task to run', async () => (await task(id)).status === 'running');
    await until('only the new task at work', () => desktop.host?.workingTasks().length === 1);
    const [working] = desktop.host?.workingTasks() ?? [];
    if (working?.id !== id) throw new Error('the new task is not the one at work');

    electron.app.quit();
    await until('the question', () => electron.messageBoxes.length === 1);
    expect(electron.messageBoxes[0]).toMatchObject({ buttons: ['Quit', 'Cancel'], cancelId: 1, message: '1 task is still working. Quit anyway?' });
    expect(electron.messageBoxes[0]?.detail).toContain('another slow job');
    electron.answerNextMessageBox(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(electron.app.hasQuit).toBe(false);
    expect((await task(working.id)).status).toBe('running');

    electron.app.quit();
    await until('the second question', () => electron.messageBoxes.length === 2);
    electron.answerNextMessageBox(0);
    await until('the app to quit', () => electron.app.hasQuit);
    expect(fs.existsSync(serverFilePath(home))).toBe(false);
    expect(electron.ipcHandlers.has(INVOKE_CHANNEL)).toBe(false);
    expect(hostReady.isDisposed).toBe(true);

    // The next start: the task waits as interrupted, with a reason, and can be resumed.
    const next = await createHost({ home, env });
    try {
      const reply = await next.handlers['tasks.get']({ id: working.id });
      if (!reply.ok) throw new Error(reply.message);
      expect(reply.task.status).toBe('interrupted');
      const resumed = await next.handlers['tasks.send']({ id: working.id, message: 'go on' });
      if (!resumed.ok) throw new Error(resumed.message);
      expect(['queued', 'running']).toContain(resumed.task.status);
      await next.handlers['tasks.stop']({ id: working.id });
    } finally {
      await next.dispose();
    }
  });
});

describe('the desktop app on a data folder another host holds', () => {
  it('refuses to start, saying which process holds it, before creating a host', async () => {
    const otherHome = makeTempHome();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const pid = holder.pid ?? 0;
      expect(claimServerFile(otherHome, pid)).toEqual({ ok: true });
      writeServerFile(otherHome, { url: 'http://127.0.0.1:4711/?token=secret', port: 4711, token: 'secret', pid });
      const second = fakeElectron();
      let isHostCreated = false;
      const app = startDesktopApp(second.module, {
        env: { ...process.env, FLOTILLA_HOME: otherHome },
        platform: 'linux',
        isLaunchedFromTerminal: true,
        preloadPath: '/app/preload.cjs',
        rendererDir: rendererDir(),
        log: () => {},
        createHost: async (opts) => {
          isHostCreated = true;
          return createHost(opts);
        },
      });
      second.app.becomeReady();
      await app.ready;
      expect(second.errorBoxes).toEqual([
        { title: 'Flotilla cannot start', content: `another Flotilla host is already running on this data folder (pid ${pid} at http://127.0.0.1:4711/)` },
      ]);
      expect(second.app.exitCode).toBe(1);
      expect(isHostCreated).toBe(false);
      expect(second.windows).toHaveLength(0);
      // The holder's record is untouched.
      expect(JSON.parse(fs.readFileSync(serverFilePath(otherHome), 'utf8'))).toMatchObject({ pid, token: 'secret' });
      second.utility.dispose();
    } finally {
      holder.kill();
      fs.rmSync(otherHome, { recursive: true, force: true });
    }
  });
});
