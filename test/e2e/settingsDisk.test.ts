import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import type { TempRepo } from '../fixtures/tempRepo.js';
import { hostPool, openWorld, shotPath, type HostPool } from './support/world.js';

/**
 * Settings → Disk in a real browser against `flotilla serve`: the worktrees Flotilla keeps, with
 * their size, owner and uncommitted work; a task in Review cannot be removed from there, a
 * leftover folder is cleaned up (and gone from disk), and a leftover worktree holding
 * uncommitted work is deleted only after a confirmation that names the file. Each test has its
 * own host, task and leftovers.
 */

interface TaskJson {
  id: string;
  status: string;
  worktreePath: string;
}

let model: ModelServer;
let browser: Browser;
let hosts: HostPool;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'notes',
        steps: [
          { type: 'shell', command: "printf 'first\\n' > NOTES.md" },
          { type: 'message', text: 'Wrote NOTES.md.' },
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

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t.invalid', ...args], { cwd, encoding: 'utf8' });
}

// The test's own host, repo, task and leftovers; set by `openDisk` at the start of each test.
let page: Page;
let repo: TempRepo;
let task: TaskJson;
/** A folder no task owns (left by a crash), not a git worktree: 300 KB of data. */
let plain: string;
/** A git worktree no task owns, holding an uncommitted file. */
let crashed: string;

/**
 * A host with the task "Write the notes" in Review and, beside its worktree under
 * FLOTILLA_HOME/worktrees/<repo-id>/, the leftovers asked for; the board open at 1280×860, and
 * with `isDiskOpen` Settings → Disk open and measured.
 */
async function openDisk(opts: { leftovers: ReadonlyArray<'plain' | 'crashed'>; isDiskOpen: boolean }): Promise<void> {
  const world = await openWorld({
    browser,
    hosts,
    page: { viewport: { width: 1280, height: 860 } },
    prepare: async (host) => {
      repo = await host.repo({ name: 'shop', files: { 'README.md': '# shop\n' } });
      task = await host.api.task((await host.api.newTask({ repo: repo.path, title: 'Write the notes', prompt: 'Write NOTES.md' })).id);
      expect(task.status).toBe('review');
    },
  });
  page = world.page;

  const repoDir = path.dirname(task.worktreePath);
  plain = path.join(repoDir, 'half-created');
  crashed = path.join(repoDir, 'crashed-task');
  if (opts.leftovers.includes('plain')) {
    fs.mkdirSync(plain, { recursive: true });
    fs.writeFileSync(path.join(plain, 'blob.bin'), Buffer.alloc(300 * 1024, 7));
  }
  if (opts.leftovers.includes('crashed')) {
    git(repo.path, 'worktree', 'add', '-q', '-b', 'leftover', crashed);
    fs.writeFileSync(path.join(crashed, 'unsaved notes.txt'), 'not committed anywhere\n');
  }
  if (!opts.isDiskOpen) return;
  await page.getByRole('button', { name: 'Settings' }).click();
  await dialog().getByRole('tab', { name: 'Disk' }).click();
  await expect.poll(() => table().getByRole('row').count()).toBe(2 + opts.leftovers.length);
  await dialog().getByRole('status').filter({ hasText: 'Measuring' }).waitFor({ state: 'hidden' });
}

const dialog = () => page.getByRole('dialog', { name: 'Settings' });
const table = () => dialog().getByRole('table');
/** A table row by the folder's last segment (the row header holds the full path). */
const row = (folder: string): Locator => table().getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`${folder}$`) }) });

describe('Settings → Disk', () => {
  it('lists each worktree with its repo, task, size and uncommitted work, largest first', async () => {
    await openDisk({ leftovers: ['plain', 'crashed'], isDiskOpen: false });

    await page.getByRole('button', { name: 'Settings' }).click();
    await dialog().getByRole('tab', { name: 'General' }).waitFor();
    // Keyboard: the tab list is one tab stop; the arrow key moves to the next tab (Providers),
    // End to the last one, Disk, which opens.
    await dialog().getByRole('tab', { name: 'General' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await dialog().getByRole('tab', { name: 'Providers' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('End');
    expect(await dialog().getByRole('tab', { name: 'Disk' }).getAttribute('aria-selected')).toBe('true');
    await table().waitFor();
    await expect.poll(() => table().getByRole('row').count()).toBe(4); // header + 3 worktrees

    const caption = await table().locator('caption').innerText();
    expect(caption).toMatch(/in 3 worktrees, largest first/);

    const first = table().getByRole('rowheader').first();
    expect(await first.getAttribute('title')).toBe(plain); // 300 KB: the largest

    await expect.poll(() => row('half-created').innerText()).toMatch(/shop\s+no task/);
    expect(await row('half-created').getByRole('cell').nth(2).innerText()).toMatch(/^(29\d|3\d\d) KB$/);
    await row('half-created').getByRole('button', { name: 'Remove half-created' }).waitFor();

    const own = row(path.basename(task.worktreePath));
    expect(await own.innerText()).toMatch(/Write the notes\s+Review/);
    expect(await own.innerText()).toContain('Merge or discard first');
    expect(await own.getByRole('button').count()).toBe(0);

    expect(await row('crashed-task').innerText()).toContain('1 file');
    expect(await row('crashed-task').locator('.badge').getAttribute('title')).toBe('1 uncommitted file: unsaved notes.txt');

    await page.screenshot({ path: shotPath('settings-disk-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: shotPath('settings-disk-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('cleans up the finished leftovers only: the folder is gone from disk, work in progress is kept', async () => {
    await openDisk({ leftovers: ['plain', 'crashed'], isDiskOpen: true });

    const cleanUp = dialog().getByRole('button', { name: 'Clean up finished (1)' });
    await cleanUp.click();
    const confirm = dialog().getByRole('group', { name: 'Clean up finished worktrees?' });
    expect(await confirm.innerText()).toMatch(/1 worktree with uncommitted work is kept/);
    await confirm.getByRole('button', { name: 'Remove 1 worktree' }).click();
    await dialog().getByText(/Removed 1 worktree; 3\d\d KB freed\. Kept 1 worktree with uncommitted work/).waitFor();

    expect(await row('half-created').count()).toBe(0);
    expect(fs.existsSync(plain)).toBe(false);
    expect(fs.existsSync(task.worktreePath)).toBe(true);
    expect(fs.readFileSync(path.join(crashed, 'unsaved notes.txt'), 'utf8')).toBe('not committed anywhere\n');
    expect(await dialog().getByRole('button', { name: /Clean up finished/ }).isDisabled()).toBe(true);
  });

  it('deletes uncommitted work only after a confirmation that names it', async () => {
    await openDisk({ leftovers: ['crashed'], isDiskOpen: true });

    const remove = row('crashed-task').getByRole('button', { name: 'Remove crashed-task' });
    await remove.focus();
    await page.keyboard.press('Enter');
    const confirm = dialog().getByRole('group', { name: 'Delete uncommitted work in crashed-task?' });
    expect(await confirm.innerText()).toContain('deletes 1 uncommitted file: unsaved notes.txt');
    await page.screenshot({ path: shotPath('settings-disk-confirm.png') });

    // Escape cancels the confirmation, not the dialog; focus is back on the row's button.
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    expect(await dialog().isVisible()).toBe(true);
    await expect.poll(() => remove.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(fs.existsSync(path.join(crashed, 'unsaved notes.txt'))).toBe(true);

    await page.keyboard.press('Enter');
    await confirm.getByRole('button', { name: 'Delete with uncommitted work' }).click();
    await dialog().getByText(/Removed crashed-task; .* freed\./).waitFor();
    expect(await row('crashed-task').count()).toBe(0);
    expect(fs.existsSync(crashed)).toBe(false);
    expect(git(repo.path, 'worktree', 'list')).not.toContain('crashed-task');
    // No row with a Remove button is left: focus lands on Refresh, not on the page.
    await expect.poll(() => dialog().getByRole('button', { name: 'Refresh' }).evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('asks before deleting work made after the measurement: the host checks again and the question names the file', async () => {
    await openDisk({ leftovers: [], isDiskOpen: true });

    const late = path.join(path.dirname(task.worktreePath), 'late-edit');
    git(repo.path, 'worktree', 'add', '-q', '-b', 'late', late);
    await dialog().getByRole('button', { name: 'Refresh' }).click();
    await row('late-edit').waitFor();
    expect(await row('late-edit').locator('.badge').count()).toBe(0); // clean when measured
    fs.writeFileSync(path.join(late, 'late.txt'), 'typed after the table was drawn\n');

    await row('late-edit').getByRole('button', { name: 'Remove late-edit' }).click();
    const confirm = dialog().getByRole('group', { name: 'Delete uncommitted work in late-edit?' });
    expect(await confirm.innerText()).toContain('uncommitted changes made since it was measured (1 file, e.g. late.txt)');
    expect(fs.existsSync(path.join(late, 'late.txt'))).toBe(true);
    await confirm.getByRole('button', { name: 'Delete with uncommitted work' }).click();
    await dialog().getByText(/Removed late-edit; .* freed\./).waitFor();
    expect(fs.existsSync(late)).toBe(false);
    await expect.poll(() => dialog().getByRole('button', { name: 'Refresh' }).evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('refreshes: what is left is the task in Review, measured again', async () => {
    await openDisk({ leftovers: [], isDiskOpen: true });
    await dialog().getByRole('button', { name: 'Refresh' }).focus();

    await page.keyboard.press('Enter'); // on Refresh
    await expect.poll(() => table().getByRole('row').count()).toBe(2);
    await dialog().getByRole('status').filter({ hasText: 'Measuring' }).waitFor({ state: 'hidden' });
    expect(await table().locator('caption').innerText()).toMatch(/in 1 worktree, largest first/);
    expect(fs.existsSync(task.worktreePath)).toBe(true);
  });

  it('keeps the Disk tab as it was when the user goes to General and back', async () => {
    await openDisk({ leftovers: [], isDiskOpen: true });

    await dialog().getByRole('tab', { name: 'General' }).click();
    await dialog().getByLabel('Tasks running at once').waitFor();
    await page.screenshot({ path: shotPath('settings-general.png') });
    await dialog().getByRole('tab', { name: 'Disk' }).click();
    expect(await table().getByRole('row').count()).toBe(2);
    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'hidden' });
  });
});
