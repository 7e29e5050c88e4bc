import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../fixtures/browser.js';
import { startFlotilla, type FlotillaServer } from '../fixtures/flotillaProcess.js';
import { startModelServer, type ModelServer } from '../fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from '../fixtures/tempRepo.js';
import { shotPath, signedInPage } from './support/world.js';

/**
 * SECURITY.md test 17 in the UI, against `flotilla serve` in a real browser: the model writes
 * terminal escapes, a C1 control, bidi overrides and forged lines into a title, its message,
 * its command line and output, a file's content, an approval's command and reason, and a
 * failure reason. Cards, transcript, approval panel and diff show each hidden character as a
 * visible mark (⟨ESC⟩ ⟨BEL⟩ ⟨CR⟩, ⟨U+202E⟩), and no raw one is left in the page's text or attributes.
 * Screenshots of the card and the transcript in both themes go to test-results/. The tasks are
 * made once for the file and only looked at; each test opens its own page.
 */

interface TaskJson {
  id: string;
  title: string;
  status: string;
}

const FORGED = '\n$ rm -rf ~   [exit 0]';
const TITLE = `Banner\x1b]0;title-pwned\x07\u202eexe.txt`;
const MESSAGE = `All done.\x1b]0;pwned\x07\x1b[2K\rEverything passed\u009b2K \u202eexe.live${FORGED}`;
const COMMAND = `printf 'banner \u202eevil\\n'; printf 'esc \\033[2K\\r done\\n' > banner.txt # \x1b]0;cmd-pwned\x07`;
const APPROVAL_COMMAND = `echo '\x1b[2K\u202eapproved'`;
const REASON = `fetch the fixtures\x1b]0;reason-pwned\x07 \u2066quietly\u2069`;
const REFUSAL = `scripted refusal\x1b]0;refusal-pwned\x07 \u202edesrever`;

/** Raw characters that must not be in the page: C0 but \n \t, DEL, C1, bidi controls, invisible format characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

let model: ModelServer;
let flotilla: FlotillaServer;
let repo: TempRepo;
let browser: Browser;
let banner: TaskJson;
/** The test's own page on the shared host; the tasks it looks at are never changed. */
let page: Page;

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      { name: 'banner', match: 'Print the banner', steps: [{ type: 'shell', command: COMMAND }, { type: 'message', text: MESSAGE }] },
      {
        name: 'asking',
        match: 'Fetch with a reason',
        steps: [
          { type: 'shell', command: APPROVAL_COMMAND, network: true, justification: REASON },
          { type: 'message', text: 'done' },
        ],
      },
      // 400 is not retried: the task fails at once with the model's words as its reason.
      {
        name: 'refusing',
        match: 'Refuse politely',
        steps: [{ type: 'fault', status: 400, body: JSON.stringify({ error: { message: REFUSAL, type: 'invalid_request_error' } }) }],
      },
    ],
  });
  repo = await makeTempRepo({ name: 'shop', files: { 'README.md': '# shop\n' } });
  flotilla = await startFlotilla({ env: { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' } });
  expect((await flotilla.cli(['repo', 'add', repo.path])).code).toBe(0);
  banner = await flotilla.cliJson<TaskJson>(['task', 'new', '--repo', repo.path, '--prompt', 'Print the banner', '--title', TITLE, '--wait']);
  expect(banner.status).toBe('review');
  await flotilla.cliJson(['task', 'new', '--repo', repo.path, '--prompt', 'Fetch with a reason', '--title', 'Fetch with a reason']);
  await flotilla.cliJson(['task', 'new', '--repo', repo.path, '--prompt', 'Refuse politely', '--title', 'Refuse politely', '--wait']);
  browser = await launchChromium();
});

beforeEach(async () => {
  page = await signedInPage(browser, flotilla, { viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await flotilla?.stop();
  await model?.close();
  await repo?.cleanup();
});

const cardOf = (id: string) => page.locator(`article[data-task-id="${id}"]`);

/** No raw hidden character anywhere in the page: its text (hidden parts too) and every attribute. */
async function expectPageInert(label: string): Promise<void> {
  const found = await page.evaluate((source) => {
    const unsafe = new RegExp(source);
    const texts = [document.body.textContent ?? '', document.title];
    for (const el of Array.from(document.querySelectorAll('*'))) for (const attr of Array.from(el.attributes)) texts.push(attr.value);
    const hit = texts.find((text) => unsafe.test(text));
    return hit === undefined ? null : JSON.stringify(hit.slice(0, 200));
  }, UNSAFE.source);
  expect(found, label).toBeNull();
}

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  await page.getByLabel('Theme').selectOption(theme);
}

async function shootBothThemes(target: Locator, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(theme);
    await target.screenshot({ path: shotPath(`${name}-${theme}.png`) });
  }
  await setTheme('light');
}

describe('hidden characters the model wrote show as marks', () => {
  it('on the cards: a title, an approval request, a failure reason', async () => {
    const card = cardOf(banner.id);
    await card.waitFor();
    const title = card.locator('.card-open');
    expect(await title.innerText()).toBe('Banner⟨ESC⟩]0;title-pwned⟨BEL⟩⟨U+202E⟩exe.txt');
    expect(await title.locator('.inert-mark').allInnerTexts()).toEqual(['⟨ESC⟩', '⟨BEL⟩', '⟨U+202E⟩']);
    expect(await card.getAttribute('aria-label')).toBe('Banner⟨ESC⟩]0;title-pwned⟨BEL⟩⟨U+202E⟩exe.txt');

    const asking = page.getByRole('article', { name: 'Fetch with a reason' });
    await asking.getByText('Approval needed').waitFor({ timeout: 30_000 });
    expect(await asking.locator('.card-approval-cmd').innerText()).toBe("echo '⟨ESC⟩[2K⟨U+202E⟩approved'");
    expect(await asking.locator('.card-approval-reason').innerText()).toBe('“fetch the fixtures⟨ESC⟩]0;reason-pwned⟨BEL⟩ ⟨U+2066⟩quietly⟨U+2069⟩”');

    const refused = page.getByRole('article', { name: 'Refuse politely' });
    await refused.locator('.card-reason').waitFor();
    expect(await refused.locator('.card-reason').innerText()).toContain('scripted refusal⟨ESC⟩]0;refusal-pwned⟨BEL⟩ ⟨U+202E⟩desrever');

    await expectPageInert('the board');
    await shootBothThemes(card, 'inert-card');
    await shootBothThemes(asking, 'inert-card-approval');
    await shootBothThemes(refused, 'inert-card-reason');
  });

  it('in the transcript: the message keeps its lines, the command and its output show their marks', async () => {
    await cardOf(banner.id).locator('.card-open').click();
    const view = page.getByRole('region', { name: /^Task: Banner/ });
    expect(await view.locator('.task-title').innerText()).toBe('Banner⟨ESC⟩]0;title-pwned⟨BEL⟩⟨U+202E⟩exe.txt');
    const message = view.locator('.msg-agent .msg-text');
    await message.waitFor();
    expect(await message.innerText()).toBe('All done.⟨ESC⟩]0;pwned⟨BEL⟩⟨ESC⟩[2K⟨CR⟩Everything passed⟨U+009B⟩2K ⟨U+202E⟩exe.live\n$ rm -rf ~   [exit 0]');
    const command = view.locator('.cmd-line').first();
    expect(await command.innerText()).toContain("> banner.txt # ⟨ESC⟩]0;cmd-pwned⟨BEL⟩");
    await view.locator('.cmd-out').getByText('banner ⟨U+202E⟩evil').waitFor();
    await expectPageInert('the transcript');
    await shootBothThemes(view.locator('.transcript'), 'inert-transcript');
    await page.screenshot({ path: shotPath('inert-task-view.png') });
  });

  it('in the diff: the changed line shows the escape it writes', async () => {
    await cardOf(banner.id).locator('.card-open').click();
    const view = page.getByRole('region', { name: /^Task: Banner/ });
    await view.getByRole('tab', { name: /Changes/ }).click();
    const line = view.locator('.diff-line-content-item').filter({ hasText: /^\+esc/ }).first();
    await line.waitFor();
    expect(await line.innerText()).toBe('+esc ⟨ESC⟩[2K⟨CR⟩ done');
    await expectPageInert('the diff');
    await shootBothThemes(view.locator('.file').first(), 'inert-diff');
    await view.getByRole('button', { name: 'Close' }).click();
  });

  it('in the approval panel: command and reason', async () => {
    await page.getByRole('article', { name: 'Fetch with a reason' }).getByRole('button', { name: 'Fetch with a reason' }).click();
    const panel = page.getByRole('region', { name: 'Approval request' });
    expect(await panel.locator('.approval-command').innerText()).toBe("echo '⟨ESC⟩[2K⟨U+202E⟩approved'");
    expect(await panel.locator('.approval-reason').innerText()).toBe('fetch the fixtures⟨ESC⟩]0;reason-pwned⟨BEL⟩ ⟨U+2066⟩quietly⟨U+2069⟩');
    await expectPageInert('the approval panel');
    await shootBothThemes(panel, 'inert-approval-panel');
  });
});
