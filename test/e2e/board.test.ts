import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import type { FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import type { TempRepo } from '../fixtures/tempRepo.js';
import { boardOf, closedOrFailed, drag, taskByTitle } from './support/board.js';
import type { NewTask } from './support/host.js';
import { hostPool, openWorld, shotPath, type HostPool, type TestHost, type World } from './support/world.js';

/**
 * The board of a fleet in a real browser against `flotilla serve`: a Backlog card dragged into
 * In progress with real mouse moves, the command palette, a follow-up from the task view, the
 * keyboard Move menu, refused drops, settings, the repo filter, and screenshots of a busy board.
 * Each test has its own host and repos (shop, admin); the model server and browser are shared.
 */

interface TaskJson {
  id: string;
  title: string;
  status: string;
  worktreePath: string;
}

// Unique durations: other test files look for their own sleeping processes.
const RUNNING_SLEEP = 'sleep 93.713';
const STOPPABLE_SLEEP = 'sleep 94.127';

let model: ModelServer;
let browser: Browser;
let hosts: HostPool;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'notes',
        match: 'Write NOTES.md',
        steps: [
          { type: 'shell', command: "printf 'first\\n' > NOTES.md" },
          { type: 'message', text: 'Wrote NOTES.md with one line.' },
          { type: 'shell', command: "printf 'second\\n' >> NOTES.md" },
          { type: 'message', text: 'Added the second line.' },
        ],
      },
      {
        name: 'look',
        match: 'Look around',
        steps: [
          { type: 'shell', command: "ls && printf 'seen\\n' > SEEN.md" },
          { type: 'message', text: 'Only a README here; noted in SEEN.md.' },
        ],
      },
      { name: 'slow', match: 'Take your time', steps: [{ type: 'shell', command: RUNNING_SLEEP }, { type: 'message', text: 'done' }] },
      { name: 'stoppable', match: 'Stop me', steps: [{ type: 'shell', command: STOPPABLE_SLEEP }, { type: 'message', text: 'done' }] },
      // 400 is not retried by the SDK: the task fails at once, with the model's words as the reason.
      { name: 'broken', match: 'Always fails', steps: [{ type: 'fault', status: 400, body: JSON.stringify({ error: { message: 'scripted refusal', type: 'invalid_request_error' } }) }] },
    ],
  });
  browser = await launchChromium();
  hosts = hostPool({ model });
});

afterAll(async () => {
  await hosts?.close();
  await browser?.close();
  await model?.close();
});

/** The test's host with its repos shop and admin. */
interface BoardHost extends TestHost {
  shop: TempRepo;
  admin: TempRepo;
  /** Creates a task; with `isSettled`, returns it once its turn is over. */
  newTask: (input: NewTask, isSettled?: boolean) => Promise<{ id: string; status: string }>;
}

type Board = World & BoardHost & ReturnType<typeof boardOf>;

/**
 * The test's own host with the repos shop and admin, and the board open at 1440×900; `prepare`
 * makes the tasks the test starts from while the page loads.
 */
async function openBoard(prepare: (host: BoardHost) => Promise<unknown> = async () => {}): Promise<Board> {
  const world = await openWorld({
    browser,
    hosts,
    page: { viewport: { width: 1440, height: 900 } },
    prepare: async (host): Promise<BoardHost> => {
      const [shop, admin] = await Promise.all([
        host.repo({ name: 'shop', files: { 'README.md': '# shop\n' } }),
        host.repo({ name: 'admin', files: { 'README.md': '# admin\n' } }),
      ]);
      const newTask = async (input: NewTask, isSettled = false) => {
        const task = await host.api.newTask(input);
        return isSettled ? host.api.task(task.id) : task;
      };
      const boardHost = { ...host, shop, admin, newTask };
      await prepare(boardHost);
      return boardHost;
    },
  });
  return { ...world.prepared, page: world.page, prepared: undefined, ...boardOf(world.page) };
}

/** "Write the notes" after its first turn, in Review (NOTES.md holds one line). */
async function notesInReview(host: BoardHost): Promise<void> {
  const task = await host.newTask({ repo: host.shop.path, prompt: 'Write NOTES.md with one line', title: 'Write the notes' }, true);
  expect(task.status).toBe('review');
}

/** "Look around", after its turn, in Review. */
async function lookAroundInReview(host: BoardHost): Promise<{ id: string }> {
  const task = await host.newTask({ repo: host.admin.path, prompt: 'Look around the repo', title: 'Look around' }, true);
  expect(task.status).toBe('review');
  return task;
}

/** "Rewrite the admin login", stopped by the user while its command ran: in Needs you. */
async function stoppedTask(board: Board): Promise<void> {
  const task = await board.newTask({ repo: board.admin.path, prompt: 'Stop me when you like', title: 'Rewrite the admin login' });
  await board.card('In progress', 'Rewrite the admin login').getByText(`$ ${STOPPABLE_SLEEP}`).waitFor({ timeout: 20_000 });
  await board.api.invoke('tasks.stop', { id: task.id });
  await board.card('Needs you', 'Rewrite the admin login').waitFor();
}

const taskNamed = (flotilla: FlotillaServer, title: string) => taskByTitle<TaskJson>(flotilla, title);

describe('the board of a fleet', () => {
  it('creates a task in the Backlog from Ctrl+N', async () => {
    const { page, flotilla, card } = await openBoard();
    await page.locator('body').click({ position: { x: 700, y: 600 } });
    await page.keyboard.press('Control+n');
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await dialog.getByLabel('Repository').selectOption({ label: 'shop' });
    await dialog.getByLabel('Title').fill('Write the notes');
    await dialog.getByLabel('Prompt').fill('Write NOTES.md with one line');
    await dialog.getByLabel('Put in Backlog').check();
    await dialog.getByRole('button', { name: 'Add to Backlog' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card('Backlog', 'Write the notes').getByText('Backlog', { exact: true }).waitFor();
    expect((await taskNamed(flotilla, 'Write the notes')).status).toBe('backlog');
  });

  it('drags the Backlog card into In progress with the mouse: it starts, runs and reaches Review', async () => {
    const { page, flotilla, card, column } = await openBoard((host) =>
      host.newTask({ repo: host.shop.path, prompt: 'Write NOTES.md with one line', title: 'Write the notes', start: false }),
    );
    await card('Backlog', 'Write the notes').waitFor();

    await drag(page, card('Backlog', 'Write the notes'), column('In progress'), () => page.screenshot({ path: shotPath('board-drag.png') }));
    await card('Review', 'Write the notes').waitFor({ timeout: 30_000 });
    const task = await taskNamed(flotilla, 'Write the notes');
    expect(task.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'NOTES.md'), 'utf8')).toBe('first\n');
    await card('Review', 'Write the notes').getByText(/\d+(\.\d)?k? tok/).waitFor();
  });

  it('refuses a drop the column does not allow: the card stays and a toast says why', async () => {
    const { page, card, column } = await openBoard(notesInReview);
    await card('Review', 'Write the notes').waitFor();

    await drag(page, card('Review', 'Write the notes'), column('Backlog'), () => page.screenshot({ path: shotPath('board-drag-refused.png') }));
    await page.locator('.toast').getByText('A task cannot go back to the Backlog once it has started.').waitFor();
    await card('Review', 'Write the notes').waitFor();
    expect(await column('Backlog').getByRole('article').count()).toBe(0);
  });

  it('opens the command palette with Ctrl+K and jumps to the task', async () => {
    const { page, card } = await openBoard(notesInReview);
    await card('Review', 'Write the notes').waitFor();

    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    const input = palette.getByRole('combobox');
    await input.fill('notes');
    await palette.getByRole('option', { name: /Write the notes/ }).waitFor();
    await page.screenshot({ path: shotPath('board-palette.png') });
    await input.press('Enter');
    await palette.waitFor({ state: 'hidden' });
    await page.getByRole('region', { name: 'Task: Write the notes' }).getByText('Wrote NOTES.md with one line.').waitFor();
  });

  it('sends a follow-up from the task view and sees the second turn finish', async () => {
    const { page, flotilla, card, taskView } = await openBoard(notesInReview);
    await card('Review', 'Write the notes').getByRole('button', { name: 'Write the notes' }).click();
    await taskView('Write the notes').getByText('Wrote NOTES.md with one line.').waitFor();

    const view = page.getByRole('region', { name: 'Task: Write the notes' });
    await view.getByLabel('Message', { exact: true }).fill('Add a second line');
    await page.screenshot({ path: shotPath('board-task-view.png') });
    await view.getByRole('button', { name: 'Send' }).click();
    await view.getByText('Added the second line.').waitFor({ timeout: 30_000 });
    await card('Review', 'Write the notes').waitFor({ timeout: 30_000 });
    const task = await taskNamed(flotilla, 'Write the notes');
    expect(fs.readFileSync(path.join(task.worktreePath, 'NOTES.md'), 'utf8')).toBe('first\nsecond\n');
    await view.getByRole('button', { name: 'Close' }).click();
  });

  it('moves a card with the keyboard: M opens its Move to menu, Start runs it', async () => {
    const { page, flotilla, card, admin } = await openBoard();
    const created = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', admin.path, '--prompt', 'Look around the repo', '--title', 'Look around', '--backlog']);
    expect(created.status).toBe('backlog');
    const backlogCard = card('Backlog', 'Look around');
    await backlogCard.getByRole('button', { name: 'Look around' }).focus();
    await page.keyboard.press('m');
    const menu = page.getByRole('menu', { name: 'Move to…' });
    await expect.poll(() => menu.getByRole('menuitem').first().evaluate((el) => el === document.activeElement)).toBe(true);
    await page.screenshot({ path: shotPath('board-menu.png') });
    await menu.getByRole('menuitem', { name: /Start/ }).press('Enter');
    await card('Review', 'Look around').waitFor({ timeout: 30_000 });
  });

  it('asks "Merge or discard?" on a drop into Done, and merges', async () => {
    const { page, card, column } = await openBoard(lookAroundInReview);
    await card('Review', 'Look around').waitFor();

    await drag(page, card('Review', 'Look around'), column('Done'));
    const dialog = page.getByRole('dialog', { name: 'Merge or discard?' });
    await dialog.getByLabel('Merge strategy').selectOption('squash');
    await page.screenshot({ path: shotPath('board-merge-dialog.png') });
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await closedOrFailed(dialog);
    await card('Done', 'Look around').getByText('Merged').waitFor();
  });

  it('shows a busy board: live activity, reasons, tokens, the needs-you count; light and dark', async () => {
    // A task in Review and one Done, as on a board that has been in use for a while.
    const { page, flotilla, card, shop, admin } = await openBoard(async (host) => {
      const [, looked] = await Promise.all([notesInReview(host), lookAroundInReview(host)]);
      await host.api.invoke('tasks.merge', { id: looked.id, strategy: 'squash' });
    });
    await card('Done', 'Look around').waitFor();

    await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', shop.path, '--prompt', 'Take your time with the refactor', '--title', 'Refactor the cart']);
    const stoppable = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', admin.path, '--prompt', 'Stop me when you like', '--title', 'Rewrite the admin login']);
    await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', shop.path, '--prompt', 'Always fails, sadly', '--title', 'Upgrade the payment SDK']);
    await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', admin.path, '--prompt', 'Later: Look around the docs', '--title', 'Document the admin API', '--backlog']);
    await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', shop.path, '--prompt', 'Later: Look around the tests', '--title', 'Speed up the slow checkout tests', '--backlog']);

    // The running card's live line is the command it runs, never its output.
    await card('In progress', 'Rewrite the admin login').getByText(`$ ${STOPPABLE_SLEEP}`).waitFor({ timeout: 20_000 });
    expect((await flotilla.cli(['task', 'stop', stoppable.id])).code).toBe(0);
    await card('Needs you', 'Rewrite the admin login').waitFor();
    await card('Needs you', 'Upgrade the payment SDK').waitFor({ timeout: 30_000 });
    await card('In progress', 'Refactor the cart').getByText(`$ ${RUNNING_SLEEP}`).waitFor({ timeout: 20_000 });

    const failed = card('Needs you', 'Upgrade the payment SDK').locator('.card-reason');
    expect(await failed.getAttribute('title')).toMatch(/scripted refusal/);
    await page.getByRole('status', { name: '2 tasks need you' }).waitFor();
    await expect.poll(() => page.title()).toBe('(2) Flotilla');

    for (const theme of ['light', 'dark'] as const) {
      await page.getByLabel('Theme').selectOption(theme);
      await page.screenshot({ path: shotPath(`board-${theme}.png`) });
    }
    await page.getByLabel('Theme').selectOption('light');
  });

  it('resumes a stopped task from the board with a message', async () => {
    const board = await openBoard();
    const { page, card, column } = board;
    await stoppedTask(board);

    await drag(page, card('Needs you', 'Rewrite the admin login'), column('In progress'));
    const dialog = page.getByRole('dialog', { name: 'Resume task' });
    await expect.poll(() => dialog.getByLabel('Message').inputValue()).toBe('Continue where you left off.');
    await dialog.getByRole('button', { name: 'Resume' }).click();
    await closedOrFailed(dialog);
    await card('In progress', 'Rewrite the admin login').waitFor();
  });

  it('filters the board by repo, and remembers the choice', async () => {
    const { page, card } = await openBoard(async (host) => {
      await host.newTask({ repo: host.admin.path, prompt: 'Later: Look around the docs', title: 'Document the admin API', start: false });
      await host.newTask({ repo: host.shop.path, prompt: 'Later: Look around the tests', title: 'Speed up the slow checkout tests', start: false });
    });
    await card('Backlog', 'Speed up the slow checkout tests').waitFor();

    await page.getByRole('button', { name: 'Repos shown: All repos' }).click();
    await page.getByRole('group', { name: 'Repos to show' }).getByLabel('admin').check();
    await page.keyboard.press('Escape');
    await card('Backlog', 'Document the admin API').waitFor();
    await expect.poll(() => card('Backlog', 'Speed up the slow checkout tests').count()).toBe(0);
    await page.reload();
    await page.getByRole('button', { name: 'Repos shown: admin' }).waitFor();
    await card('Backlog', 'Document the admin API').waitFor();
    expect(await card('Backlog', 'Speed up the slow checkout tests').count()).toBe(0);
    await page.getByRole('button', { name: 'Repos shown: admin' }).click();
    await page.getByRole('group', { name: 'Repos to show' }).getByLabel('All repos').check();
    await card('Backlog', 'Speed up the slow checkout tests').waitFor();
  });

  it('edits settings (timeout in minutes), with errors inline', async () => {
    const { page, flotilla } = await openBoard();
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.poll(() => dialog.getByLabel('Command timeout (minutes)').inputValue()).toBe('10');
    await dialog.getByLabel('Tasks running at once').fill('lots');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByRole('alert').filter({ hasText: /./ }).first().waitFor();
    expect(await dialog.getByLabel('Tasks running at once').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Tasks running at once').fill('6');
    await dialog.getByLabel('Command timeout (minutes)').fill('15');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByText('Saved.').waitFor();
    await page.screenshot({ path: shotPath('board-settings.png') });
    expect((await flotilla.cli(['config', 'get', 'maxRunning'])).stdout.trim()).toBe('6');
    expect((await flotilla.cli(['config', 'get', 'commandTimeoutMs'])).stdout.trim()).toBe('900000');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('fits a small window with the task view open', async () => {
    const { page, card } = await openBoard(async (host) => {
      const failed = await host.newTask({ repo: host.shop.path, prompt: 'Always fails, sadly', title: 'Upgrade the payment SDK' }, true);
      expect(failed.status).toBe('failed');
    });

    await page.setViewportSize({ width: 1024, height: 700 });
    await card('Needs you', 'Upgrade the payment SDK').getByRole('button', { name: 'Upgrade the payment SDK' }).click();
    const view = page.getByRole('region', { name: 'Task: Upgrade the payment SDK' });
    await view.getByRole('button', { name: 'Resume' }).waitFor();
    await page.screenshot({ path: shotPath('board-narrow.png') });
    // Nothing in the top bar is pushed out of the window.
    const newTask = await page.getByRole('button', { name: 'New task' }).boundingBox();
    expect((newTask?.x ?? Infinity) + (newTask?.width ?? 0)).toBeLessThanOrEqual(1024);
  });
});
