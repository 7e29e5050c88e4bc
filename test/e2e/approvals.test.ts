import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { makeTempHome, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import type { TempRepo } from '../fixtures/tempRepo.js';
import { boardOf, taskByTitle as findTask } from './support/board.js';
import type { HostApi } from './support/host.js';
import { hostPool, openWorld, shotPath, type HostPool } from './support/world.js';

/**
 * Approvals and sandbox policies in a real browser against `flotilla serve`, real bwrap and a
 * real loopback listener: a default task whose agent asks for network shows up in Needs you
 * with the request, is approved once from the board and then for the task from the task view
 * by keyboard, and reaches Review with the command's output; a denial carries its message to
 * the agent; Approval = Never never asks; network and full access show on cards and headers.
 * Each test has its own host and repo; the model server, the loopback listener and the browser
 * are shared.
 */

interface TaskJson {
  id: string;
  title: string;
  status: string;
  worktreePath: string;
  policy: { mode: string; allowNetwork: boolean; approval: string };
  grants: { network: boolean; writablePaths: string[]; commands: string[] };
  pendingApproval: { kind: string; command: string; reason: string; widening: { network: boolean; writablePaths: string[] } } | null;
}

let model: ModelServer;
let listener: net.Server;
let outside: string;
let browser: Browser;
let hosts: HostPool;

beforeAll(async () => {
  listener = net.createServer((socket) => socket.end('hello from the host\n'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as net.AddressInfo).port;
  // bash's /dev/tcp needs no curl; `cat <&3` prints what the host sent.
  const connect = `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`;
  outside = fs.realpathSync(fs.mkdtempSync(path.join(makeTempHome(), 'build cache ')));
  model = await startModelServer({
    scenarios: [
      {
        name: 'fetch',
        match: 'Fetch the fixtures',
        steps: [
          { type: 'shell', command: connect, network: true, justification: 'download the test fixtures' },
          { type: 'shell', command: connect, network: true, justification: 'check the checksum' },
          { type: 'shell', command: connect, network: true, justification: 'covered by the grant' },
          { type: 'message', text: 'Fetched the fixtures three times.' },
        ],
      },
      {
        name: 'cache',
        match: 'Warm the cache',
        steps: [
          { type: 'shell', command: `touch '${outside}/planted'`, writablePaths: [outside], justification: 'keep a build cache' },
          { type: 'message', text: 'Went on without the cache.' },
        ],
      },
      {
        name: 'never',
        match: 'Fetch quietly',
        steps: [
          { type: 'shell', command: connect, network: true, justification: 'download the fixtures' },
          { type: 'message', text: 'No network for me, so I stopped.' },
        ],
      },
      {
        name: 'careful',
        match: 'Edit carefully',
        steps: [
          { type: 'shell', command: 'ls -la' },
          { type: 'shell', command: "printf 'edited\\n' > EDITED.md" },
          { type: 'message', text: 'Edited with your blessing.' },
        ],
      },
      {
        name: 'online',
        match: 'Check online',
        steps: [
          { type: 'shell', command: connect },
          { type: 'message', text: 'The host answered.' },
        ],
      },
      {
        name: 'tidy',
        match: 'Tidy up',
        steps: [
          { type: 'shell', command: "printf 'tidy\\n' > TIDY.md" },
          { type: 'message', text: 'Tidied.' },
        ],
      },
    ],
  });
  browser = await launchChromium();
  hosts = hostPool({ model });
});

afterAll(async () => {
  await hosts?.close();
  await browser?.close();
  await model?.close();
  listener?.close();
});

/**
 * Headless Chromium has no notification UI: record what the app shows instead, and make the
 * window look unattended (notifications are only for a user who is away).
 */
function recordNotifications(): void {
  const shown: Array<{ title: string; body: string }> = [];
  class RecordedNotification {
    static permission = 'granted';
    static requestPermission(): Promise<string> {
      return Promise.resolve('granted');
    }
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      shown.push({ title, body: options?.body ?? '' });
    }
    close(): void {}
  }
  Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true, writable: true });
  Object.defineProperty(window, 'shownNotifications', { value: shown });
  document.hasFocus = () => false;
}

// The test's own host, repo and page; set by `openApprovals` at the start of each test.
let flotilla: FlotillaServer;
let api: HostApi;
let repo: TempRepo;
let page: Page;

/** The test's host and repo shop, the board open at 1440×900; `prepare` runs while the page loads. */
async function openApprovals(prepare: () => Promise<unknown> = async () => {}): Promise<void> {
  const world = await openWorld({
    browser,
    hosts,
    page: { viewport: { width: 1440, height: 900 }, initScript: recordNotifications },
    prepare: async (host) => {
      ({ flotilla, api } = host);
      repo = await host.repo({ name: 'shop', files: { 'README.md': '# shop\n' } });
      await prepare();
    },
  });
  page = world.page;
}

const card = (columnName: string, title: string) => boardOf(page).card(columnName, title);
const taskView = (title: string) => boardOf(page).taskView(title);

async function taskByTitle(title: string): Promise<TaskJson> {
  const found = await findTask<TaskJson>(flotilla, title);
  return flotilla.cliJson<TaskJson>(['task', 'show', found.id]);
}

/** "Fetch the fixtures", waiting for its first answer (download the test fixtures). */
async function fetchTaskAsking(): Promise<{ id: string }> {
  const task = await api.newTask({ repo: repo.path, prompt: 'Fetch the fixtures for the tests', title: 'Fetch the fixtures' });
  return api.task(task.id, (t) => t.pendingApproval !== null);
}

function notifications(): Promise<Array<{ title: string; body: string }>> {
  return page.evaluate(() => (window as unknown as { shownNotifications: Array<{ title: string; body: string }> }).shownNotifications);
}

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  await page.getByLabel('Theme').selectOption(theme);
}

/** Element screenshots in both themes, then back to light. */
async function shootBothThemes(target: Locator, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(theme);
    await target.screenshot({ path: shotPath(`${name}-${theme}.png`) });
  }
  await setTheme('light');
}

/** Fills and submits the New task dialog; `policy` runs on the dialog before Create. */
async function createInDialog(title: string, prompt: string, policy: (dialog: Locator) => Promise<void> = async () => {}): Promise<void> {
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Prompt').fill(prompt);
  await policy(dialog);
  await dialog.getByRole('button', { name: 'Create task' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('approvals in the browser', () => {
  it('creates a task with the default policy; its request for network waits in Needs you', async () => {
    await openApprovals();

    await page.getByRole('button', { name: 'New task' }).click();
    const dialog = page.getByRole('dialog', { name: 'New task' });
    const sandbox = dialog.getByRole('group', { name: 'Sandbox' });
    expect(await sandbox.getByLabel('Sandbox mode').inputValue()).toBe('workspace-write');
    expect(await sandbox.getByLabel('Approval', { exact: true }).inputValue()).toBe('on-request');
    expect(await sandbox.getByLabel('Allow network for this task').isChecked()).toBe(false);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await createInDialog('Fetch the fixtures', 'Fetch the fixtures for the tests');
    await taskView('Fetch the fixtures').getByRole('button', { name: 'Close' }).click();
    const asking = card('Needs you', 'Fetch the fixtures');
    await asking.getByText('Approval needed').waitFor({ timeout: 30_000 });
    await asking.getByText('Asks for network access', { exact: true }).waitFor();
    await asking.getByText('“download the test fixtures”').waitFor();
    await asking.getByText('/dev/tcp/127.0.0.1/', { exact: false }).waitFor();
    expect(await asking.getAttribute('data-approval')).toBe('pending');

    const task = await taskByTitle('Fetch the fixtures');
    expect(task.policy).toMatchObject({ mode: 'workspace-write', allowNetwork: false, approval: 'on-request' });
    expect(task.status).toBe('needs_input');
    expect(task.pendingApproval).toMatchObject({ kind: 'escalation', reason: 'download the test fixtures', widening: { network: true } });

    // Counted in the header badge and the window title, and announced while the user is away.
    await page.getByRole('status', { name: '1 task needs you' }).waitFor();
    await expect.poll(() => page.title()).toBe('(1) Flotilla');
    await expect.poll(async () => (await notifications()).map((n) => n.title)).toContain('Approval needed: Fetch the fixtures');

    await page.screenshot({ path: shotPath('approvals-board.png') });
    await shootBothThemes(asking, 'approvals-card');
  });

  it('approves once from the board: the command runs with network, and the next request asks again', async () => {
    await openApprovals(fetchTaskAsking);

    const asking = card('Needs you', 'Fetch the fixtures');
    await asking.getByRole('button', { name: 'Approve', exact: true }).click();
    // Once means once: the agent's second network command waits for the user again.
    await expect
      .poll(async () => (await taskByTitle('Fetch the fixtures')).pendingApproval?.reason ?? null, { timeout: 30_000 })
      .toBe('check the checksum');
    await card('Needs you', 'Fetch the fixtures').getByText('Approval needed').waitFor();
    const task = await taskByTitle('Fetch the fixtures');
    expect(task.grants.network).toBe(false);
    const log = (await flotilla.cli(['task', 'log', task.id])).stdout;
    expect(log.match(/hello from the host/g)?.length).toBe(1);
  });

  it('reviews the request in the task view; typing never approves; Shift+A approves for the task', async () => {
    // Where the previous step leaves it: the first request approved once, the second waiting.
    await openApprovals(async () => {
      const asked = await fetchTaskAsking();
      await api.invoke('tasks.approve', { id: asked.id, scope: 'once' });
      await api.task(asked.id, (t) => t.pendingApproval?.reason === 'check the checksum');
    });

    await card('Needs you', 'Fetch the fixtures').getByRole('button', { name: 'Fetch the fixtures' }).click();
    const view = taskView('Fetch the fixtures');
    const panel = view.getByRole('region', { name: 'Approval request' });
    await panel.getByText('The agent asks to go beyond its sandbox').waitFor();
    await panel.getByText('check the checksum').waitFor();
    await panel.getByRole('listitem').filter({ hasText: 'network access' }).waitFor();
    await panel.getByText('/dev/tcp/127.0.0.1/', { exact: false }).waitFor();
    await view.getByText('workspace-write · no network · approval on-request').waitFor();
    expect(await view.getByText('This agent has network access', { exact: false }).count()).toBe(0);
    // The first request's line says what was decided; its output is in the transcript.
    await view.getByRole('group', { name: 'Approval: approved once' }).waitFor();
    await view.getByText('hello from the host').first().waitFor();
    // The second command is journaled but has not run: it says so, not "cut short".
    await view.getByRole('group', { name: /^Command: exec 3<>/ }).last().getByText('waiting for approval').waitFor();
    const approveOnce = panel.getByRole('button', { name: 'Approve once' });
    await expect.poll(() => approveOnce.isEnabled()).toBe(true);
    await shootBothThemes(view, 'approvals-panel');
    await page.screenshot({ path: shotPath('approvals-task-view.png') });

    // D opens the denial with focus in its message; letters typed there are text, not answers.
    await panel.getByRole('heading').click();
    await page.keyboard.press('d');
    const message = panel.getByLabel('Message to the agent');
    await expect.poll(() => message.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('a A');
    expect(await message.inputValue()).toBe('a A');
    await page.keyboard.press('Shift+A');
    expect(await message.inputValue()).toBe('a AA');
    await new Promise((resolve) => setTimeout(resolve, 700));
    const stillAsking = await taskByTitle('Fetch the fixtures');
    expect(stillAsking.status).toBe('needs_input');
    expect(stillAsking.pendingApproval?.reason).toBe('check the checksum');
    await message.press('Escape');
    await message.waitFor({ state: 'hidden' });

    // Focus is back on the page itself: Shift+A now answers, for the rest of the task.
    await page.keyboard.press('Shift+A');
    await card('Review', 'Fetch the fixtures').waitFor({ timeout: 30_000 });
    const done = await taskByTitle('Fetch the fixtures');
    expect(done.grants.network).toBe(true);
    const log = (await flotilla.cli(['task', 'log', done.id])).stdout;
    // The third command was covered by the grant: it ran without asking.
    expect(log.match(/hello from the host/g)?.length).toBe(3);
    expect(log.match(/\?\? approval/g)?.length).toBe(2);
    await view.getByText('Fetched the fixtures three times.').waitFor();
    await view.getByRole('group', { name: 'Approval: approved for this task' }).waitFor();
    await view.getByText('This agent has network access: you approved it for this task.').waitFor();
    await view.getByText('Approved for this task: network access').waitFor();
    expect(await view.getByRole('region', { name: 'Approval request' }).count()).toBe(0);
    await card('Review', 'Fetch the fixtures').getByText('Network', { exact: true }).waitFor();
  });

  it('denies with a message from the task view: the agent is told, and nothing is written', async () => {
    await openApprovals();

    await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Warm the cache for the build', '--title', 'Warm the build cache']);
    const asking = card('Needs you', 'Warm the build cache');
    await asking.getByText('Approval needed').waitFor({ timeout: 30_000 });
    await asking.getByText(`writes to ${outside}`).waitFor();
    await asking.getByRole('button', { name: 'Warm the build cache' }).click();
    const view = taskView('Warm the build cache');
    const panel = view.getByRole('region', { name: 'Approval request' });
    await panel.getByRole('listitem').filter({ hasText: `writes to ${outside}` }).waitFor();
    await panel.getByRole('button', { name: 'Deny' }).click();
    await panel.getByLabel('Message to the agent').fill('Keep out of my folders; build without a cache.');
    await panel.getByRole('button', { name: 'Send denial' }).click();
    await card('Review', 'Warm the build cache').waitFor({ timeout: 30_000 });
    await view.getByRole('group', { name: 'Approval: denied: “Keep out of my folders; build without a cache.”' }).waitFor();
    await view.getByText('Went on without the cache.').waitFor();
    await view.getByRole('group', { name: `Command: touch '${outside}/planted'` }).getByText('denied · not run').waitFor();
    expect(fs.existsSync(path.join(outside, 'planted'))).toBe(false);
    const toolResult = JSON.stringify(model.requests.filter((r) => r.scenario === 'cache').at(-1)?.body);
    expect(toolResult).toContain('Keep out of my folders; build without a cache.');
    await view.getByRole('button', { name: 'Close' }).click();
  });

  it('a task created with Approval = Never never asks: the agent is told no', async () => {
    await openApprovals();

    await createInDialog('Fetch quietly', 'Fetch quietly, no questions', async (dialog) => {
      await dialog.getByLabel('Approval', { exact: true }).selectOption({ label: 'Never' });
    });
    await card('Review', 'Fetch quietly').waitFor({ timeout: 30_000 });
    const task = await taskByTitle('Fetch quietly');
    expect(task.policy.approval).toBe('never');
    expect(task.pendingApproval).toBeNull();
    const log = (await flotilla.cli(['task', 'log', task.id])).stdout;
    expect(log).not.toContain('?? approval');
    expect(log).not.toContain('hello from the host');
    expect(JSON.stringify(model.requests.filter((r) => r.scenario === 'never').at(-1)?.body)).toContain('approval policy');
    const view = taskView('Fetch quietly');
    await view.getByText('No network for me, so I stopped.').waitFor();
    await view.getByText('workspace-write · no network · approval never').waitFor();
    expect(await view.locator('.line-approval').count()).toBe(0);
    await view.getByRole('button', { name: 'Close' }).click();
  });

  it('Approval = Untrusted: reads run, a write waits; A approves it once from the task view', async () => {
    await openApprovals();

    await createInDialog('Edit carefully', 'Edit carefully, one file', async (dialog) => {
      await dialog.getByLabel('Approval', { exact: true }).selectOption({ label: 'Untrusted: ask before every command that can change things' });
    });
    const view = taskView('Edit carefully');
    const panel = view.getByRole('region', { name: 'Approval request' });
    await panel.getByText('The agent wants to run a command that may change things').waitFor({ timeout: 30_000 });
    await panel.getByText("printf 'edited\\n' > EDITED.md").waitFor();
    await card('Needs you', 'Edit carefully').getByText('Wants to run a command that may change things').waitFor();
    // `ls -la` is a known reader: it ran without asking.
    await view.getByRole('group', { name: 'Command: ls -la' }).getByText('exit 0').waitFor();
    const task = await taskByTitle('Edit carefully');
    expect(task.policy.approval).toBe('untrusted');
    expect(task.pendingApproval?.kind).toBe('untrusted_command');
    expect(fs.existsSync(path.join(task.worktreePath, 'EDITED.md'))).toBe(false);
    await expect.poll(() => panel.getByRole('button', { name: 'Approve once' }).isEnabled()).toBe(true);
    await panel.getByRole('heading').click();
    await page.keyboard.press('a');
    await card('Review', 'Edit carefully').waitFor({ timeout: 30_000 });
    expect(fs.readFileSync(path.join(task.worktreePath, 'EDITED.md'), 'utf8')).toBe('edited\n');
    await view.getByRole('group', { name: 'Approval: approved once' }).waitFor();
    expect((await taskByTitle('Edit carefully')).grants.commands).toEqual([]);
    await view.getByRole('button', { name: 'Close' }).click();
  });

  it('a task created with network on says so on its card and in its header', async () => {
    await openApprovals();

    await createInDialog('Check online', 'Check online that the host answers', async (dialog) => {
      await dialog.getByLabel('Allow network for this task').check();
    });
    await card('Review', 'Check online').waitFor({ timeout: 30_000 });
    const task = await taskByTitle('Check online');
    expect(task.policy).toMatchObject({ mode: 'workspace-write', allowNetwork: true });
    await card('Review', 'Check online').getByText('Network', { exact: true }).waitFor();
    const view = taskView('Check online');
    await view.getByText('This agent has network access: allowed when the task was created.').waitFor();
    await view.getByText('hello from the host').waitFor();
    await view.getByRole('button', { name: 'Close' }).click();
  });

  it('full access needs the confirmation before Create, and its card wears a red No sandbox badge', async () => {
    await openApprovals();

    await page.getByRole('button', { name: 'New task' }).click();
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await dialog.getByLabel('Title').fill('Tidy up the repo');
    await dialog.getByLabel('Prompt').fill('Tidy up the repo root');
    await dialog.getByLabel('Sandbox mode').selectOption({ label: 'Full access — no sandbox' });
    await dialog.getByText('The agent’s commands run as you', { exact: false }).waitFor();
    const create = dialog.getByRole('button', { name: 'Create task' });
    expect(await create.isDisabled()).toBe(true);
    const network = dialog.getByLabel('Allow network for this task');
    expect(await network.isChecked()).toBe(true);
    expect(await network.isDisabled()).toBe(true);
    // Ctrl+Enter from the prompt is refused too, with the reason.
    await dialog.getByLabel('Prompt').press('Control+Enter');
    await dialog.getByRole('alert').getByText('confirm that you understand', { exact: false }).waitFor();
    expect(await dialog.isVisible()).toBe(true);
    const confirm = dialog.getByLabel('I understand the agent\'s commands run with my full permissions');
    await confirm.check();
    expect(await create.isEnabled()).toBe(true);
    await shootBothThemes(dialog, 'approvals-full-access-dialog');
    await create.click();
    await dialog.waitFor({ state: 'hidden' });

    const done = card('Review', 'Tidy up the repo');
    await done.waitFor({ timeout: 30_000 });
    const badge = done.getByText('No sandbox', { exact: true });
    await badge.waitFor();
    // Red: a solid fill, not the soft tone of other badges.
    const fill = await badge.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(fill).toMatch(/^rgb\((\d+), (\d+), (\d+)\)$/);
    const [r, g, b] = (fill.match(/\d+/g) ?? []).map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(90);
    const task = await taskByTitle('Tidy up the repo');
    expect(task.policy.mode).toBe('full-access');
    expect(fs.readFileSync(path.join(task.worktreePath, 'TIDY.md'), 'utf8')).toBe('tidy\n');
    const view = taskView('Tidy up the repo');
    await view.getByText('This agent has network access: it runs without a sandbox.').waitFor();
    await view.getByText('full-access (no sandbox)', { exact: false }).waitFor();
    await shootBothThemes(done, 'approvals-no-sandbox-card');
    await page.screenshot({ path: shotPath('approvals-board-after.png') });
  });
});
