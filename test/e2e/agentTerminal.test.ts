import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { startFlotilla, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../fixtures/tempRepo.js';
import { waitForStatus } from './support/board.js';
import { screenText as readScreen } from './support/terminalScreen.js';
import { shotPath, signedInPage } from './support/world.js';

/**
 * The Agent tab in a real browser against `flotilla serve`: the agent's commands, live and in
 * colour. The host is shared; each test runs its own task and opens its own page. The screen is
 * read from the rows xterm draws.
 */

interface TaskJson {
  id: string;
  title: string;
  status: string;
}

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: TempRepo;
let browser: Browser;
/** The test's own page, opened once its task exists. */
let page: Page;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'colour',
        match: 'Paint the words',
        steps: [
          { type: 'shell', command: "printf 'plain \\033[31mred\\033[0m \\033[32mgreen\\033[0m\\n'" },
          { type: 'shell', command: "for i in 1 2 3; do printf '\\rbuilding %d/3' $i; sleep 0.1; done; printf '\\n'; exit 2" },
          { type: 'message', text: 'painted' },
        ],
      },
      {
        name: 'prompt',
        match: 'Ask before going on',
        steps: [{ type: 'shell', command: 'read -p "Proceed? [y/N] " answer; echo "answer=$answer"' }, { type: 'message', text: 'asked' }],
      },
      { name: 'quiet', match: 'Say hello', steps: [{ type: 'message', text: 'hello' }] },
    ],
  });
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

/** The shown terminal's lines (what the user sees). */
function screenText(): Promise<string> {
  return readScreen(page);
}

/**
 * The foreground palette colour of `word` in the command's output line `plain red green`
 * (1 = red, 2 = green), or null: the `xterm-fg-N` class of the run of cells that holds it.
 */
function colourOf(word: string): Promise<number | null> {
  return page.evaluate((wanted) => {
    for (const row of Array.from(document.querySelectorAll('.terminal-xterm .xterm-rows > div'))) {
      const text = (row.textContent ?? '').replace(/\u00a0/g, ' ');
      // Not the header above it, which spells the escape sequences out.
      if (!text.startsWith('plain ')) continue;
      const run = Array.from(row.children).find((cells) => (cells.textContent ?? '').includes(wanted));
      if (!run) return null;
      const palette = /\bxterm-fg-(\d+)\b/.exec(run.className);
      return palette ? Number(palette[1]) : null;
    }
    return null;
  }, word);
}

/** A page of its own on the shared host, at 1440×900. */
async function openPage(): Promise<void> {
  page = await signedInPage(browser, flotilla, { viewport: { width: 1440, height: 900 } });
}

async function openTerminalOf(task: TaskJson): Promise<void> {
  await page.getByRole('article', { name: task.title }).getByRole('button').first().click();
  const view = page.getByRole('region', { name: `Task: ${task.title}` });
  await view.getByRole('tab', { name: 'Terminal' }).click();
}

function shot(name: string): Promise<Buffer> {
  return page.screenshot({ path: shotPath(name) });
}

describe('the Agent tab', () => {
  it('says calmly that no command has run yet', async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Say hello', '--wait']);
    await openPage();
    await openTerminalOf(task);
    const agentTab = page.getByRole('tab', { name: 'Agent' });
    expect(await agentTab.getAttribute('aria-selected')).toBe('true');
    await page.getByText('No commands yet.').waitFor();
    await shot('agent-terminal-empty.png');
  });

  it("shows the agent's commands in colour, each with its header and exit line", async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Paint the words', '--wait']);
    expect(task.status).toBe('review');
    await openPage();
    await openTerminalOf(task);
    // The first tab, chosen by default once the agent has run something.
    const tabs = page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab');
    await expect.poll(() => tabs.first().textContent()).toBe('Agent');
    expect(await tabs.first().getAttribute('aria-selected')).toBe('true');
    await page.getByRole('group', { name: 'Agent terminal' }).waitFor();

    await expect.poll(screenText, { timeout: 15_000 }).toMatch(/^plain red green$/m);
    expect(await colourOf('red')).toBe(1);
    expect(await colourOf('green')).toBe(2);
    const text = await screenText();
    expect(text).toMatch(/^\$ printf 'plain /m);
    expect(text).toMatch(/^exit 0 · (\d+ ms|\d+\.\d s)$/m);
    // The progress line as the program left it, then the failing exit.
    expect(text).toMatch(/^building 3\/3$/m);
    expect(text).toMatch(/^exit 2 · (\d+ ms|\d+\.\d s)$/m);
    await shot('agent-terminal-light.png');
    await page.evaluate(() => {
      document.documentElement.dataset.theme = 'dark';
    });
    await shot('agent-terminal-dark.png');
    await page.evaluate(() => {
      delete document.documentElement.dataset.theme;
    });
  });

  it("passes what the user types to the running command's prompt", async () => {
    const task = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Ask before going on']);
    await openPage();
    await openTerminalOf(task);
    // The Agent terminal appears with the command, without a reload.
    await page.getByRole('group', { name: 'Agent terminal' }).waitFor({ timeout: 15_000 });
    await expect.poll(screenText, { timeout: 15_000 }).toMatch(/^Proceed\? \[y\/N\]/m);
    await page.locator('.terminal-xterm textarea').focus();
    await page.keyboard.type('yes');
    await page.keyboard.press('Enter');
    await expect.poll(screenText, { timeout: 15_000 }).toMatch(/^answer=yes$/m);
    const done = await waitForStatus<TaskJson>(flotilla, task.id, 'review');
    expect(done.status).toBe('review');
    const lastInput = JSON.stringify(model.requests.at(-1)?.body);
    expect(lastInput).toContain('answer=yes');
  });
});
