import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { boardOf, closedOrFailed, drag } from './support/board.js';
import { browserSuite } from './support/suite.js';
import { openWorld, shotPath } from './support/world.js';

/**
 * The merge UI in a real browser against `flotilla serve`: two open tasks editing the same line
 * show the predicted conflict on both cards; the first is rebased in from its task view with
 * its uncommitted file included by ticking the box that names it; the second's card then says
 * it conflicts with main; discarding it and pressing Restore on its Done card brings it back.
 */

const suite = browserSuite([
  { name: 'a', match: 'Variant A', steps: [{ type: 'shell', command: "printf 'from A\\n' > shared.txt" }, { type: 'message', text: 'A done.' }] },
  { name: 'b', match: 'Variant B', steps: [{ type: 'shell', command: "printf 'from B\\n' > shared.txt" }, { type: 'message', text: 'B done.' }] },
]);

describe('merge UI', () => {
  it('predicts conflicts on both cards, rebases with an uncommitted file ticked in, and restores a discarded task', async () => {
    const world = await openWorld({
      browser: suite.browser,
      hosts: suite.hosts,
      page: { viewport: { width: 1440, height: 900 } },
      prepare: async (host) => {
        const repo = await host.repo({ name: 'site', files: { 'shared.txt': 'original\n' } });
        const [a, b] = await Promise.all([
          host.api.newTask({ repo: repo.path, prompt: 'Variant A of the line', title: 'Fix login' }),
          host.api.newTask({ repo: repo.path, prompt: 'Variant B of the line', title: 'Fix logout' }),
        ]);
        const [doneA, doneB] = await Promise.all([host.api.task(a.id), host.api.task(b.id)]);
        return { repo, a: doneA, b: doneB };
      },
    });
    const { page, prepared } = world;
    const { card, column, taskView } = boardOf(page);
    const { repo, a, b } = prepared;
    expect([a.status, b.status]).toEqual(['review', 'review']);

    await card('Review', 'Fix login').getByText('Conflicts with «Fix logout» in shared.txt').waitFor();
    await card('Review', 'Fix logout').getByText('Conflicts with «Fix login» in shared.txt').waitFor();
    await page.screenshot({ path: shotPath('merge-conflicts-predicted.png') });

    // Written after the review, from outside the agent: not merged unless ticked.
    fs.writeFileSync(path.join(a.worktreePath, 'late.txt'), 'late\n');
    await card('Review', 'Fix login').getByRole('button', { name: 'Fix login' }).click();
    const view = taskView('Fix login');
    await view.getByLabel('Merge strategy').selectOption('rebase');
    const include = view.getByRole('checkbox', { name: /Include 1 uncommitted file/ });
    await view.getByRole('list', { name: 'Uncommitted files' }).getByText('late.txt').waitFor();
    await include.check();
    await page.screenshot({ path: shotPath('merge-rebase-uncommitted.png') });
    await view.getByRole('button', { name: 'Merge', exact: true }).click();
    await view.getByText(/Merged into main as .* \(rebased; branch deleted\)/).waitFor();
    expect(fs.readFileSync(path.join(repo.path, 'late.txt'), 'utf8')).toBe('late\n');
    expect(execFileSync('git', ['-C', repo.path, 'rev-list', '--merges', 'main'], { encoding: 'utf8' })).toBe('');

    // The sibling now conflicts with main itself.
    await card('Review', 'Fix logout').getByText('Conflicts with main in shared.txt').waitFor();

    await drag(page, card('Review', 'Fix logout'), column('Done'));
    const dialog = page.getByRole('dialog', { name: 'Merge or discard?' });
    await dialog.getByRole('radio', { name: /Discard/ }).check();
    await dialog.getByRole('button', { name: 'Discard task' }).click();
    await closedOrFailed(dialog);
    await card('Done', 'Fix logout').getByRole('button', { name: 'Restore' }).click();
    await card('Review', 'Fix logout').waitFor();
    expect(fs.readFileSync(path.join(b.worktreePath, 'shared.txt'), 'utf8')).toBe('from B\n');
    await page.screenshot({ path: shotPath('merge-restored.png') });
  });
});
