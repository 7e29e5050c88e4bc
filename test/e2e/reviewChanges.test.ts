import { describe, expect, it } from 'vitest';
import { browserSuite } from './support/suite.js';
import { openWorld, shotPath } from './support/world.js';

/**
 * Reading a task's change in a real browser: the file tree with its counts, split and
 * unified layouts (remembered), viewed ticks that survive a reload, and the flag on an
 * execution-sensitive file, in the view and on the card.
 */

const TITLE = 'Tidy the shop';
const FILES = {
  'README.md': '# shop\n',
  'src/cart.ts': 'export function total(items: number[]): number {\n  let sum = 0;\n  for (const item of items) sum += item;\n  return sum;\n}\n',
};
// Three files: a code edit (word-level change), a new CI workflow (sensitive), a new note.
const WORK = [
  "sed -i 's/let sum = 0;/let sum = 0; \\/\\/ in cents/' src/cart.ts",
  'mkdir -p .github/workflows',
  "printf 'on: push\\njobs:\\n  build:\\n    runs-on: ubuntu-latest\\n' > .github/workflows/ci.yml",
  "printf 'milk\\neggs\\n' > NOTES.md",
].join(' && ');

const suite = browserSuite([{ name: 'tidy', steps: [{ type: 'shell', command: WORK }, { type: 'message', text: 'Tidied the shop.' }] }]);

describe('the Changes view', () => {
  it('shows the tree and counts, switches layout, keeps viewed ticks over a reload, flags a CI workflow', async () => {
    const world = await openWorld({
      browser: suite.browser,
      hosts: suite.hosts,
      prepare: async (host) => {
        const repo = await host.repo({ files: FILES });
        const task = await host.api.task((await host.api.newTask({ repo: repo.path, prompt: 'Tidy up', title: TITLE })).id);
        expect(task.status).toBe('review');
      },
    });
    const { page } = world;
    const card = page.getByRole('region', { name: 'Review' }).getByRole('article', { name: TITLE });
    await card.getByText('1 sensitive file').waitFor({ timeout: 15_000 });

    await card.getByRole('button').first().click();
    const view = page.getByRole('region', { name: `Task: ${TITLE}` });
    await view.getByRole('tab', { name: 'Changes' }).click();

    const tree = view.getByRole('list', { name: 'Changed files' });
    await tree.getByRole('button', { name: /ci\.yml/ }).waitFor();
    await view.getByText('3 files changed', { exact: true }).waitFor();
    expect(await tree.getByRole('button', { name: /cart\.ts/ }).innerText()).toMatch(/\+1\s*−1/);
    expect(await tree.getByRole('button', { name: /NOTES\.md/ }).innerText()).toMatch(/\+2\s*−0/);

    const workflow = view.getByRole('region', { name: '.github/workflows/ci.yml' });
    await workflow.getByText('Sensitive: CI workflow').waitFor();
    const cart = view.getByRole('region', { name: 'src/cart.ts' });
    // Diffs mount as they scroll into view: the tree takes us there.
    await tree.getByRole('button', { name: /cart\.ts/ }).click();
    await cart.getByText('// in cents').first().waitFor();
    expect(await view.getByRole('region', { name: 'NOTES.md' }).getByText('Sensitive').count()).toBe(0);

    // Split shows old and new side by side: the changed line appears twice (old and new).
    await view.getByRole('button', { name: 'Split' }).click();
    await expect.poll(() => cart.getByText('let sum = 0;').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: shotPath('review-split-light.png') });
    await cart.screenshot({ path: shotPath('review-cart-split-light.png') });
    await page.getByLabel('Theme').selectOption('dark');
    await page.screenshot({ path: shotPath('review-split-dark.png') });
    await cart.screenshot({ path: shotPath('review-cart-split-dark.png') });
    await page.getByLabel('Theme').selectOption('light');
    await view.getByRole('button', { name: 'Unified' }).click();
    await expect.poll(() => view.getByRole('button', { name: 'Unified' }).getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: shotPath('review-unified-light.png') });
    await cart.screenshot({ path: shotPath('review-cart-unified-light.png') });
    await view.getByRole('button', { name: 'Split' }).click();

    // Tick one by click, another with the keyboard (j to the next file, v to tick it).
    await workflow.getByLabel('Viewed').check();
    await view.getByText('1/3 viewed').waitFor();
    await tree.getByRole('button', { name: /NOTES\.md/ }).click();
    await page.keyboard.press('v');
    await view.getByText('2/3 viewed').waitFor();

    await page.reload();
    await page.getByRole('region', { name: 'Review' }).getByRole('article', { name: TITLE }).getByRole('button').first().click();
    const again = page.getByRole('region', { name: `Task: ${TITLE}` });
    await again.getByRole('tab', { name: 'Changes' }).click();
    await again.getByText('2/3 viewed').waitFor();
    expect(await again.getByRole('region', { name: '.github/workflows/ci.yml' }).getByLabel('Viewed').isChecked()).toBe(true);
    expect(await again.getByRole('region', { name: 'src/cart.ts' }).getByLabel('Viewed').isChecked()).toBe(false);
    // The layout was remembered too.
    expect(await again.getByRole('button', { name: 'Split' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('Theme').selectOption('dark');
    await page.screenshot({ path: shotPath('review-reloaded-dark.png') });
    await page.getByLabel('Theme').selectOption('light');
  });
});
