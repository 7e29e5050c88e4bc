import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserSuite, shootBothThemes } from './support/suite.js';
import { openWorld } from './support/world.js';

/**
 * Uncommitted work in the Changes view, in a real browser against a real host: after the
 * agent's turn, a file it committed is edited again and a new file is written in the task's
 * worktree (as from the task's shell). Changes shows the committed diff, then an "Uncommitted"
 * section with both files' contents, each marked, and the file changed both ways in both
 * sections; the tree lists them under their own heading.
 */

const TITLE = 'Write the menu';

const suite = browserSuite([
  { name: 'menu', steps: [{ type: 'shell', command: "printf 'soup\\nbread\\n' > menu.txt" }, { type: 'message', text: 'Wrote the menu.' }] },
]);

describe('uncommitted work in the Changes view', () => {
  it('shows the worktree’s uncommitted files with their contents, marked, after the committed diff', async (ctx) => {
    const world = await openWorld({
      browser: suite.browser,
      hosts: suite.hosts,
      page: { viewport: { width: 1440, height: 900 } },
      prepare: async (host) => {
        const repo = await host.repo({ files: { 'README.md': '# cafe\n' } });
        const task = await host.api.task((await host.api.newTask({ repo: repo.path, prompt: 'Write the menu', title: TITLE })).id);
        expect(task.status).toBe('review');
        // After the turn, from outside the agent: an edit to its file and a new, untracked one.
        fs.appendFileSync(path.join(task.worktreePath, 'menu.txt'), 'cake of the day\n');
        fs.mkdirSync(path.join(task.worktreePath, 'notes'));
        fs.writeFileSync(path.join(task.worktreePath, 'notes', 'todo.txt'), 'buy flour\n');
        return task.id;
      },
    });
    const { page, prepared: taskId } = world;
    const diff = await world.api.invoke<{ ok: boolean; uncommittedDiff?: unknown }>('tasks.diff', { id: taskId });
    expect(diff.ok).toBe(true);
    if (diff.uncommittedDiff === undefined) {
      ctx.skip("the host does not send tasks.diff's uncommittedDiff yet (the worktree diff is another helper's, not landed)");
    }

    await page.getByRole('region', { name: 'Review' }).getByRole('article', { name: TITLE }).getByRole('button').first().click();
    const view = page.getByRole('region', { name: `Task: ${TITLE}` });
    await view.getByRole('tab', { name: 'Changes' }).click();
    await view.getByRole('button', { name: 'Unified' }).click();

    const committed = view.getByRole('region', { name: 'menu.txt', exact: true });
    await committed.getByText('Uncommitted changes too').waitFor({ timeout: 15_000 });
    await committed.getByText('bread').first().waitFor();
    expect(await committed.getByText('cake of the day').count()).toBe(0);

    const editedLater = view.getByRole('region', { name: 'menu.txt (uncommitted)' });
    await editedLater.getByText('Uncommitted', { exact: true }).waitFor();
    await editedLater.getByText('cake of the day').first().waitFor();
    const untracked = view.getByRole('region', { name: 'notes/todo.txt (uncommitted)' });
    await untracked.getByText('Uncommitted', { exact: true }).waitFor();
    await untracked.getByText('buy flour').first().waitFor();
    await view.getByText('2 uncommitted', { exact: true }).waitFor();
    // The paths-only note is for a host that sends no contents.
    expect(await view.getByText('Uncommitted, not in this diff yet', { exact: false }).count()).toBe(0);

    const tree = view.getByRole('list', { name: 'Changed files' });
    await tree.getByText('Uncommitted', { exact: true }).waitFor();
    await tree.getByRole('button', { name: /todo\.txt/ }).click();
    await shootBothThemes(page, 'review-uncommitted-1440');
    await page.setViewportSize({ width: 1024, height: 800 });
    await shootBothThemes(page, 'review-uncommitted-1024');
  });
});
