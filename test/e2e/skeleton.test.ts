import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { hostPool, openWorld, shotPath, type HostPool, type World } from './support/world.js';

/**
 * The walking skeleton in a real browser against `flotilla serve`: add repo → task → review →
 * merge. Each step starts from its own host, set up the way the step before would leave it.
 */

const README = { 'README.md': '# shop\n' };
const TITLE = 'Write the shopping list';
const PROMPT = 'Create TODO.md with one item';

let model: ModelServer;
let browser: Browser;
let hosts: HostPool;

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
  browser = await launchChromium();
  hosts = hostPool({ model });
});

afterAll(async () => {
  await hosts?.close();
  await browser?.close();
  await model?.close();
});

/** A host with the repo added and the task run to Review, its card on the board. */
async function taskInReview(): Promise<World<string>> {
  const world = await openWorld({
    browser,
    hosts,
    prepare: async (host) => {
      const repo = await host.repo({ files: README });
      const task = await host.api.task((await host.api.newTask({ repo: repo.path, prompt: PROMPT, title: TITLE })).id);
      expect(task.status).toBe('review');
      return repo.path;
    },
  });
  await world.page.getByRole('region', { name: 'Review' }).getByRole('article', { name: TITLE }).waitFor();
  return world;
}

describe('the board in a browser', () => {
  it('opens already authorized, and the token leaves the address bar', async () => {
    const { page, flotilla } = await openWorld({ browser, hosts, page: { isBoardAwaited: false } });
    await expect.poll(() => page.url()).toBe(`${flotilla.origin}/`);
    await page.getByRole('region', { name: 'Backlog' }).waitFor();
    for (const column of ['In progress', 'Needs you', 'Review', 'Done']) {
      await page.getByRole('region', { name: column }).waitFor();
    }
  });

  it('adds a repo through the dialog', async () => {
    const world = await openWorld({ browser, hosts });
    const { page } = world;
    const repo = await world.repo({ files: README, isAdded: false });

    await page.getByRole('button', { name: 'Add repo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add repo' });
    await dialog.getByLabel('Repository path').fill(repo.path);
    await dialog.getByRole('button', { name: 'Add' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('creates a task and sees its card reach Review', async () => {
    const world = await openWorld({ browser, hosts });
    const { page } = world;
    await world.repo({ files: README });

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
    const { page } = await taskInReview();

    await page.getByRole('region', { name: 'Review' }).getByRole('article', { name: 'Write the shopping list' }).getByRole('button').first().click();
    const view = page.getByRole('region', { name: 'Task: Write the shopping list' });
    await view.getByText('Wrote TODO.md with one item.').waitFor();
    await view.getByText('TODO.md', { exact: false }).first().waitFor();
    await view.getByRole('tab', { name: 'Changes' }).click();
    await view.getByText('+buy milk').waitFor();
    await page.screenshot({ path: shotPath('skeleton-diff.png') });
  });

  it('merges, and the card moves to Done with the change on main', async () => {
    const { page, prepared: repoPath } = await taskInReview();
    await page.getByRole('region', { name: 'Review' }).getByRole('article', { name: TITLE }).getByRole('button').first().click();

    const view = page.getByRole('region', { name: 'Task: Write the shopping list' });
    await view.getByRole('button', { name: 'Merge' }).click();
    const done = page.getByRole('region', { name: 'Done' });
    await done.getByRole('article', { name: 'Write the shopping list' }).waitFor({ timeout: 15_000 });
    expect(fs.readFileSync(path.join(repoPath, 'TODO.md'), 'utf8')).toBe('buy milk\n');
    const parents = execFileSync('git', ['-C', repoPath, 'rev-list', '--parents', '-n', '1', 'main'], { encoding: 'utf8' }).trim().split(' ');
    expect(parents).toHaveLength(3); // the default strategy is a merge commit
  });
});
