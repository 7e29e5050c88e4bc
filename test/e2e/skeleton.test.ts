import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { startFlotilla, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { makeTempRepo } from '../fixtures/tempRepo.js';

/** The walking skeleton in a real browser against `flotilla serve`: add repo → task → review → merge. */

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: { path: string; cleanup: () => Promise<void> | void };
let browser: Browser;
let page: Page;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'todo',
        steps: [
          { type: 'shell', command: "printf 'buy milk\\n' > TODO.md && ls" },
          { type: 'message', text: 'Wrote TODO.md with one item.' },
        ],
      },
    ],
  });
  repo = await makeTempRepo({ files: { 'README.md': '# shop\n' } });
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

describe('the board in a browser', () => {
  it('opens already authorized, and the token leaves the address bar', async () => {
    await page.goto(flotilla.url);
    await expect.poll(() => page.url()).toBe(`${flotilla.origin}/`);
    await page.getByRole('region', { name: 'Backlog' }).waitFor();
    for (const column of ['In progress', 'Needs you', 'Review', 'Done']) {
      await page.getByRole('region', { name: column }).waitFor();
    }
  });

  it('adds a repo through the dialog', async () => {
    await page.getByRole('button', { name: 'Add repo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add repo' });
    await dialog.getByLabel('Repository path').fill(repo.path);
    await dialog.getByRole('button', { name: 'Add' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('creates a task and sees its card reach Review', async () => {
    await page.getByRole('button', { name: 'New task' }).click();
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await dialog.getByLabel('Title').fill('Write the shopping list');
    await dialog.getByLabel('Prompt').fill('Create TODO.md with one item');
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const review = page.getByRole('region', { name: 'Review' });
    await review.getByRole('article', { name: 'Write the shopping list' }).waitFor({ timeout: 30_000 });
  });

  it('opens the task: transcript with the command and its output, then the diff', async () => {
    await page.getByRole('region', { name: 'Review' }).getByRole('article', { name: 'Write the shopping list' }).getByRole('button').first().click();
    const view = page.getByRole('region', { name: 'Task: Write the shopping list' });
    await view.getByText('Wrote TODO.md with one item.').waitFor();
    await view.getByText('TODO.md', { exact: false }).first().waitFor();
    await view.getByRole('tab', { name: 'Changes' }).click();
    await view.getByText('+buy milk').waitFor();
    fs.mkdirSync(path.join(process.cwd(), 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(process.cwd(), 'test-results', 'skeleton-diff.png') });
  });

  it('merges, and the card moves to Done with the change on main', async () => {
    const view = page.getByRole('region', { name: 'Task: Write the shopping list' });
    await view.getByRole('button', { name: 'Merge' }).click();
    const done = page.getByRole('region', { name: 'Done' });
    await done.getByRole('article', { name: 'Write the shopping list' }).waitFor({ timeout: 15_000 });
    expect(fs.readFileSync(path.join(repo.path, 'TODO.md'), 'utf8')).toBe('buy milk\n');
    const parents = execFileSync('git', ['-C', repo.path, 'rev-list', '--parents', '-n', '1', 'main'], { encoding: 'utf8' }).trim().split(' ');
    expect(parents).toHaveLength(3); // the default strategy is a merge commit
  });
});
