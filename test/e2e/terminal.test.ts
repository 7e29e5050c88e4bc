import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { startFlotilla, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../fixtures/tempRepo.js';
import { hostApi } from './support/host.js';
import { screenText as readScreen } from './support/terminalScreen.js';
import { shotPath, signedInPage } from './support/world.js';

/**
 * A task's interactive terminal in a real browser against `flotilla serve`: type, read, reload,
 * Ctrl-C. The host is shared; each test has its own task (so its own shells) and page. The
 * screen is read from the rows xterm draws.
 */

interface TaskJson {
  id: string;
  title: string;
}

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: TempRepo;
let browser: Browser;

beforeAll(async () => {
  model = await startModelServer({ scenarios: [{ name: 'done', steps: [{ type: 'message', text: 'nothing to do' }] }] });
  repo = await makeTempRepo();
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

// The test's own page and task; set by `openTask` at the start of each test.
let page: Page;
let task: TaskJson;
let tasksMade = 0;

/** A finished task of the test's own, and a page on the board at 1440×900. */
async function openTask(): Promise<void> {
  const api = hostApi(flotilla);
  // Its own title too: the board shows the other tests' tasks.
  const [created] = await Promise.all([
    api.newTask({ repo: repo.path, prompt: 'look around', title: `look around ${++tasksMade}` }),
    signedInPage(browser, flotilla, { viewport: { width: 1440, height: 900 } }).then((opened) => (page = opened)),
  ]);
  task = await api.task(created.id);
}

/** The active terminal's screen as text (what the user sees). */
function screenText(): Promise<string> {
  return readScreen(page);
}

async function openTerminalTab(): Promise<void> {
  await page.getByRole('article', { name: task.title }).getByRole('button').first().click();
  const view = page.getByRole('region', { name: `Task: ${task.title}` });
  await view.getByRole('tab', { name: 'Terminal' }).click();
}

/** The Terminal tab open on a sandboxed shell that has printed its prompt, with the focus in it. */
async function openShell(): Promise<void> {
  await openTerminalTab();
  await page.getByRole('button', { name: 'Open a shell in the sandbox' }).click();
  await expect.poll(screenText, { timeout: 15_000 }).toMatch(/\S/);
  await page.locator('.terminal-xterm textarea').focus();
}

function shot(name: string): Promise<Buffer> {
  return page.screenshot({ path: shotPath(name) });
}

describe('the Terminal tab', () => {
  it('opens a sandboxed shell, types `echo hi` and reads `hi` back from the screen', async () => {
    await openTask();
    await openTerminalTab();
    await page.getByRole('button', { name: 'Open a shell in the sandbox' }).click();
    await page.locator('.terminal-xterm .xterm').waitFor();
    // The prompt first: keys typed before the shell starts would still arrive, but this is what a user waits for.
    await expect.poll(screenText, { timeout: 15_000 }).toMatch(/\S/);
    await page.locator('.terminal-xterm textarea').focus();
    await page.keyboard.type('echo hi');
    await page.keyboard.press('Enter');
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/^hi$/m);
    await shot('terminal-light.png');
  });

  it('after a reload, the same screen comes back from the snapshot', async () => {
    await openTask();
    await openShell();
    await page.keyboard.type('echo hi');
    await page.keyboard.press('Enter');
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/^hi$/m);

    const before = await screenText();
    await page.reload();
    await openTerminalTab();
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/^hi$/m);
    // Same content (trailing blank lines aside): the snapshot, not a replay or a new shell.
    expect((await screenText()).trimEnd()).toBe(before.trimEnd());
    // And the keystrokes still reach the same pty.
    await page.locator('.terminal-xterm textarea').focus();
    await page.keyboard.type('echo again');
    await page.keyboard.press('Enter');
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/^again$/m);
  });

  it('Ctrl-C stops `yes` promptly', async () => {
    await openTask();
    await openShell();

    await page.keyboard.type('yes');
    await page.keyboard.press('Enter');
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/^y$/m);
    await page.keyboard.press('Control+C');
    await page.keyboard.type('echo stopped-$((6*7))');
    await page.keyboard.press('Enter');
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/^stopped-42$/m);
  });

  it('looks right in dark mode too', async () => {
    await openTask();
    await openShell();

    await page.evaluate(() => {
      document.documentElement.dataset.theme = 'dark';
    });
    await page.keyboard.type('clear; printf "\\033[31mred\\033[0m \\033[32mgreen\\033[0m https://example.test/\\n"');
    await page.keyboard.press('Enter');
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/^red green https:\/\/example\.test\/$/m);
    await shot('terminal-dark.png');
  });

  it('an unsandboxed shell needs a confirmation, is marked, and offers Restart when it exits', async () => {
    await openTask();
    // Shell 1: the unsandboxed one comes second.
    await openShell();

    await page.getByRole('button', { name: 'Open unsandboxed shell…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open an unsandboxed shell?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('tab').filter({ hasText: 'unsandboxed' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Open unsandboxed shell…' }).click();
    await dialog.getByRole('button', { name: 'Open unsandboxed shell' }).click();
    const tab = page.getByRole('tab', { name: /Shell 2\s*unsandboxed/ });
    await tab.waitFor();
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    await expect.poll(screenText, { timeout: 15_000 }).toMatch(/\S/);
    await page.locator('.terminal-xterm textarea').focus();
    await page.keyboard.type('exit 3');
    await page.keyboard.press('Enter');
    const exit = page.getByRole('status').filter({ hasText: '[process exited with code 3]' });
    await exit.waitFor({ timeout: 10_000 });
    await shot('terminal-exited-dark.png');
    await exit.getByRole('button', { name: 'Restart' }).click();
    await exit.waitFor({ state: 'hidden' });
    // A fresh unsandboxed shell in place of the old one: still marked, and it answers.
    await page.getByRole('tab', { name: /unsandboxed/ }).waitFor();
    await expect.poll(screenText, { timeout: 15_000 }).toMatch(/\S/);
    await page.locator('.terminal-xterm textarea').focus();
    await page.keyboard.type('echo back-$((40+2))');
    await page.keyboard.press('Enter');
    await expect.poll(screenText, { timeout: 10_000 }).toMatch(/^back-42$/m);
  });
});
