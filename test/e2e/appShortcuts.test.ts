import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { makeTempRepo } from '../fixtures/tempRepo.js';
import { hostPool, openWorld, type HostPool } from './support/world.js';

/**
 * The app's shortcuts in a real browser (the desktop menu sends the same actions through the same
 * code: shared/contracts/menuActions.ts), and `flotilla open PATH` against the running host.
 */

let browser: Browser;
let hosts: HostPool;

beforeAll(async () => {
  browser = await launchChromium();
  hosts = hostPool();
});

afterAll(async () => {
  await hosts?.close();
  await browser?.close();
});

describe('keyboard shortcuts', () => {
  it('Alt+↓/↑ step through the tasks, Ctrl+` toggles the terminal, Ctrl+, opens Settings', async () => {
    const { page } = await openWorld({
      browser,
      hosts,
      prepare: async (host) => {
        const repo = await host.repo();
        // Backlog shows the newest first: Second, then First.
        await host.api.newTask({ repo: repo.path, prompt: 'one', title: 'First', start: false });
        await host.api.newTask({ repo: repo.path, prompt: 'two', title: 'Second', start: false });
      },
    });
    await page.getByRole('region', { name: 'Backlog' }).getByRole('article', { name: 'First' }).waitFor();

    await page.keyboard.press('Alt+ArrowDown');
    await page.getByRole('region', { name: 'Task: Second' }).waitFor();
    await page.keyboard.press('Alt+ArrowDown');
    await page.getByRole('region', { name: 'Task: First' }).waitFor();
    await page.keyboard.press('Alt+ArrowUp');
    const view = page.getByRole('region', { name: 'Task: Second' });
    await view.waitFor();

    const terminalTab = view.getByRole('tab', { name: 'Terminal' });
    await page.keyboard.press('Control+Backquote');
    await expect.poll(() => terminalTab.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Control+Backquote');
    await expect.poll(() => view.getByRole('tab', { name: 'Transcript' }).getAttribute('aria-selected')).toBe('true');

    await page.keyboard.press('Control+Comma');
    await page.getByRole('dialog', { name: 'Settings' }).waitFor();
    // Another dialog is open: the palette's shortcut leaves it alone.
    await page.keyboard.press('Control+k');
    expect(await page.getByRole('dialog', { name: 'Settings' }).isVisible()).toBe(true);
  });
});

describe('flotilla open PATH', () => {
  it('adds the repo and every open window shows it', async () => {
    const world = await openWorld({
      browser,
      hosts,
      prepare: async (host) => {
        const api = await host.repo({ name: 'api' });
        await host.api.newTask({ repo: api.path, prompt: 'one', title: 'Api task', start: false });
      },
    });
    const { page, flotilla } = world;
    const apiCard = page.getByRole('article', { name: 'Api task' });
    await apiCard.waitFor();
    const shop = await makeTempRepo({ name: 'shop' });
    try {
      const opened = await flotilla.cli(['open', shop.path]);
      expect(opened.stderr).toBe('');
      expect(opened.code).toBe(0);
      expect(opened.stdout).toContain('Opened shop');
      // The board narrows to the opened repo: the other repo's card goes out of sight.
      await page.getByRole('button', { name: 'Repos shown: shop' }).waitFor();
      await page.getByText('Showing shop').waitFor();
      await apiCard.waitFor({ state: 'detached' });
      // Opening it again selects it again, without adding it twice.
      await page.getByRole('button', { name: 'Repos shown: shop' }).click();
      await page.getByRole('group', { name: 'Repos to show' }).getByText('All repos').click();
      await page.getByRole('button', { name: 'Repos shown: All repos' }).waitFor();
      expect((await flotilla.cli(['open', shop.path])).code).toBe(0);
      await page.getByRole('button', { name: 'Repos shown: shop' }).waitFor();
      const repos = await world.api.invoke<{ repos: Array<{ name: string }> }>('repos.list');
      expect(repos.repos.map((r) => r.name).sort()).toEqual(['api', 'shop']);
    } finally {
      await shop.cleanup();
    }
  });
});

describe('light and dark', () => {
  it('follow the OS while the page is open (what Electron reports with nativeTheme on "system")', async () => {
    const { page } = await openWorld({ browser, hosts });
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
  });
});
