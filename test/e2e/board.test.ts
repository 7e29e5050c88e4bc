import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { startFlotilla, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../fixtures/tempRepo.js';

/**
 * The board of a fleet in a real browser against `flotilla serve`: a Backlog card dragged into
 * In progress with real mouse moves, the command palette, a follow-up from the task view, the
 * keyboard Move menu, refused drops, settings, the repo filter, and screenshots of a busy board.
 */

interface TaskJson {
  id: string;
  status: string;
  worktreePath: string;
}

// Unique durations: other test files look for their own sleeping processes.
const RUNNING_SLEEP = 'sleep 93.713';
const STOPPABLE_SLEEP = 'sleep 94.127';

let model: ModelServer;
let flotilla: FlotillaServer;
let shop: TempRepo;
let admin: TempRepo;
let browser: Browser;
let page: Page;
const shots = path.join(process.cwd(), 'test-results');

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
  shop = await makeTempRepo({ name: 'shop', files: { 'README.md': '# shop\n' } });
  admin = await makeTempRepo({ name: 'admin', files: { 'README.md': '# admin\n' } });
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  for (const repo of [shop, admin]) expect((await flotilla.cli(['repo', 'add', repo.path])).code).toBe(0);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(flotilla.url);
  await page.getByRole('region', { name: 'Backlog' }).waitFor();
  fs.mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await flotilla?.stop();
  await model?.close();
  await shop?.cleanup();
  await admin?.cleanup();
});

const column = (name: string) => page.getByRole('region', { name, exact: true });
const card = (columnName: string, title: string) => column(columnName).getByRole('article', { name: title, exact: true });

/** Presses, moves in small steps (dnd-kit needs real pointer moves past its 6 px threshold), releases. */
async function drag(from: Locator, to: Locator, shotBeforeDrop?: string): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('drag: an element is not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 4, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + Math.min(b.height / 2, 160), { steps: 15 });
  if (shotBeforeDrop) await page.screenshot({ path: path.join(shots, shotBeforeDrop) });
  await page.mouse.up();
}

/** Waits for a dialog to close; if it shows an error instead, fails with the error's words. */
async function closedOrFailed(dialog: Locator): Promise<void> {
  const alert = dialog.getByRole('alert');
  await Promise.race([dialog.waitFor({ state: 'hidden' }), alert.waitFor()]);
  if (await dialog.isVisible()) throw new Error(`the dialog stayed open: ${await alert.innerText()}`);
}

async function taskByTitle(title: string): Promise<TaskJson & { title: string }> {
  const tasks = await flotilla.cliJson<Array<TaskJson & { title: string }>>(['task', 'list']);
  const found = tasks.find((t) => t.title === title);
  if (!found) throw new Error(`no task titled ${title}`);
  return found;
}

describe('the board of a fleet', () => {
  it('creates a task in the Backlog from Ctrl+N', async () => {
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
    expect((await taskByTitle('Write the notes')).status).toBe('backlog');
  });

  it('drags the Backlog card into In progress with the mouse: it starts, runs and reaches Review', async () => {
    await drag(card('Backlog', 'Write the notes'), column('In progress'), 'board-drag.png');
    await card('Review', 'Write the notes').waitFor({ timeout: 30_000 });
    const task = await taskByTitle('Write the notes');
    expect(task.status).toBe('review');
    expect(fs.readFileSync(path.join(task.worktreePath, 'NOTES.md'), 'utf8')).toBe('first\n');
    await card('Review', 'Write the notes').getByText(/\d+(\.\d)?k? tok/).waitFor();
  });

  it('refuses a drop the column does not allow: the card stays and a toast says why', async () => {
    await drag(card('Review', 'Write the notes'), column('Backlog'), 'board-drag-refused.png');
    await page.locator('.toast').getByText('A task cannot go back to the Backlog once it has started.').waitFor();
    await card('Review', 'Write the notes').waitFor();
    expect(await column('Backlog').getByRole('article').count()).toBe(0);
  });

  it('opens the command palette with Ctrl+K and jumps to the task', async () => {
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    const input = palette.getByRole('combobox');
    await input.fill('notes');
    await palette.getByRole('option', { name: /Write the notes/ }).waitFor();
    await page.screenshot({ path: path.join(shots, 'board-palette.png') });
    await input.press('Enter');
    await palette.waitFor({ state: 'hidden' });
    await page.getByRole('region', { name: 'Task: Write the notes' }).getByText('Wrote NOTES.md with one line.').waitFor();
  });

  it('sends a follow-up from the task view and sees the second turn finish', async () => {
    const view = page.getByRole('region', { name: 'Task: Write the notes' });
    await view.getByLabel('Message', { exact: true }).fill('Add a second line');
    await page.screenshot({ path: path.join(shots, 'board-task-view.png') });
    await view.getByRole('button', { name: 'Send' }).click();
    await view.getByText('Added the second line.').waitFor({ timeout: 30_000 });
    await card('Review', 'Write the notes').waitFor({ timeout: 30_000 });
    const task = await taskByTitle('Write the notes');
    expect(fs.readFileSync(path.join(task.worktreePath, 'NOTES.md'), 'utf8')).toBe('first\nsecond\n');
    await view.getByRole('button', { name: 'Close' }).click();
  });

  it('moves a card with the keyboard: M opens its Move to menu, Start runs it', async () => {
    const created = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', admin.path, '--prompt', 'Look around the repo', '--title', 'Look around', '--backlog']);
    expect(created.status).toBe('backlog');
    const backlogCard = card('Backlog', 'Look around');
    await backlogCard.getByRole('button', { name: 'Look around' }).focus();
    await page.keyboard.press('m');
    const menu = page.getByRole('menu', { name: 'Move to…' });
    await expect.poll(() => menu.getByRole('menuitem').first().evaluate((el) => el === document.activeElement)).toBe(true);
    await page.screenshot({ path: path.join(shots, 'board-menu.png') });
    await menu.getByRole('menuitem', { name: /Start/ }).press('Enter');
    await card('Review', 'Look around').waitFor({ timeout: 30_000 });
  });

  it('asks "Merge or discard?" on a drop into Done, and merges', async () => {
    await drag(card('Review', 'Look around'), column('Done'));
    const dialog = page.getByRole('dialog', { name: 'Merge or discard?' });
    await dialog.getByLabel('Merge strategy').selectOption('squash');
    await page.screenshot({ path: path.join(shots, 'board-merge-dialog.png') });
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await closedOrFailed(dialog);
    await card('Done', 'Look around').getByText('Merged').waitFor();
  });

  it('shows a busy board: live activity, reasons, tokens, the needs-you count; light and dark', async () => {
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
      await page.screenshot({ path: path.join(shots, `board-${theme}.png`) });
    }
    await page.getByLabel('Theme').selectOption('light');
  });

  it('resumes a stopped task from the board with a message', async () => {
    await drag(card('Needs you', 'Rewrite the admin login'), column('In progress'));
    const dialog = page.getByRole('dialog', { name: 'Resume task' });
    await expect.poll(() => dialog.getByLabel('Message').inputValue()).toBe('Continue where you left off.');
    await dialog.getByRole('button', { name: 'Resume' }).click();
    await closedOrFailed(dialog);
    await card('In progress', 'Rewrite the admin login').waitFor();
  });

  it('filters the board by repo, and remembers the choice', async () => {
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
    await page.screenshot({ path: path.join(shots, 'board-settings.png') });
    expect((await flotilla.cli(['config', 'get', 'maxRunning'])).stdout.trim()).toBe('6');
    expect((await flotilla.cli(['config', 'get', 'commandTimeoutMs'])).stdout.trim()).toBe('900000');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('fits a small window with the task view open', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await card('Needs you', 'Upgrade the payment SDK').getByRole('button', { name: 'Upgrade the payment SDK' }).click();
    const view = page.getByRole('region', { name: 'Task: Upgrade the payment SDK' });
    await view.getByRole('button', { name: 'Resume' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'board-narrow.png') });
    // Nothing in the top bar is pushed out of the window.
    const newTask = await page.getByRole('button', { name: 'New task' }).boundingBox();
    expect((newTask?.x ?? Infinity) + (newTask?.width ?? 0)).toBeLessThanOrEqual(1024);
  });
});
