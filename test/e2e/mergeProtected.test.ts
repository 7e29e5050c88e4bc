import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { boardOf } from './support/board.js';
import { browserSuite, shootBothThemes } from './support/suite.js';
import { openWorld } from './support/world.js';

/**
 * Protected paths in a real browser against `flotilla serve`: an invalid glob typed in Settings →
 * Repos is refused with the host's reason, a valid one saved; the archive retention saved from
 * General; the task's card then says "2 protected files", its merge controls list them with the
 * glob that protects each, and Merge stays disabled until "Approve changes to these protected
 * files" is ticked; a glob added meanwhile lists its file and asks for the approval again; then
 * the merge lands the workflow files on main. Screenshots at 1440×900 in both themes.
 */

const WRITE_FILES =
  "mkdir -p .github/workflows && printf 'on: push\\n' > .github/workflows/ci.yml && printf 'on: tag\\n' > .github/workflows/release.yml && printf 'new\\n' > app.txt";

const suite = browserSuite([
  { name: 'ci', match: 'Add CI', steps: [{ type: 'shell', command: WRITE_FILES }, { type: 'message', text: 'CI added.' }] },
]);

describe('protected paths', () => {
  it('are set in Settings, named on the card and in the merge controls, and merged only once approved', async () => {
    const world = await openWorld({
      browser: suite.browser,
      hosts: suite.hosts,
      page: { viewport: { width: 1440, height: 900 } },
      prepare: async (host) => {
        const repo = await host.repo({ name: 'site', files: { 'app.txt': 'old\n' } });
        const created = await host.api.newTask({ repo: repo.path, prompt: 'Add CI workflows', title: 'Add CI' });
        return { repo, task: await host.api.task(created.id) };
      },
    });
    const { page, prepared, api } = world;
    const { card, taskView } = boardOf(page);
    expect(prepared.task.status).toBe('review');
    // No globs yet: nothing protected, nothing to approve.
    await card('Review', 'Add CI').waitFor();
    expect(await card('Review', 'Add CI').getByText(/protected file/).count()).toBe(0);

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const group = settings.getByRole('group', { name: 'Protected paths for site' });
    const globs = group.getByLabel('Files a merge needs your approval for');
    await globs.fill('/.github/workflows/**');
    await group.getByRole('button', { name: 'Save protected paths' }).click();
    await group.getByRole('alert').getByText(/drop the leading \//).waitFor();
    expect(await globs.getAttribute('aria-invalid')).toBe('true');
    await group.scrollIntoViewIfNeeded();
    await shootBothThemes(page, 'settings-protected-invalid');
    await globs.fill('.github/workflows/**,\n*.lock');
    await group.getByRole('button', { name: 'Save protected paths' }).click();
    await group.getByRole('status').getByText('Saved.').waitFor();
    const repos = await api.invoke<{ repos: Array<{ name: string; settings: { protectedPaths?: string[] } }> }>('repos.list');
    expect(repos.repos.find((r) => r.name === 'site')?.settings.protectedPaths).toEqual(['.github/workflows/**', '*.lock']);

    const retention = settings.getByLabel('Keep archives of removed worktrees (days)');
    expect(await retention.inputValue()).toBe('30');
    await retention.fill('0');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText(/Keep archives/).locator('..').getByRole('alert').waitFor();
    await retention.fill('14');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByRole('button', { name: 'Save settings' }).locator('..').getByRole('status').getByText('Saved.').waitFor();
    expect((await api.invoke<{ settings: { archiveRetentionDays: number } }>('settings.get')).settings.archiveRetentionDays).toBe(14);
    await settings.getByRole('button', { name: 'Close' }).first().click();

    await card('Review', 'Add CI').getByText('2 protected files').waitFor();
    await card('Review', 'Add CI').getByRole('button', { name: 'Add CI' }).click();
    const view = taskView('Add CI');
    const listed = view.getByRole('list', { name: 'Protected files this merge changes' });
    await listed.getByText('.github/workflows/ci.yml').waitFor();
    expect(await listed.getByRole('listitem').allInnerTexts()).toEqual([
      '.github/workflows/ci.yml matches .github/workflows/**',
      '.github/workflows/release.yml matches .github/workflows/**',
    ]);
    const merge = view.getByRole('button', { name: 'Merge', exact: true });
    const approve = view.getByRole('checkbox', { name: 'Approve changes to these protected files' });
    await view.getByRole('button', { name: 'Merge', exact: true, disabled: true }).waitFor();
    expect(await approve.isChecked()).toBe(false);
    await shootBothThemes(page, 'merge-protected');

    await approve.check();
    await view.getByRole('button', { name: 'Merge', exact: true, disabled: false }).waitFor();
    await shootBothThemes(page, 'merge-protected-approved');

    // A file protected meanwhile (from the CLI, another window): listed, and the approval asked again.
    const repoId = prepared.repo.id ?? '';
    await api.invoke('repos.configure', { id: repoId, protectedPaths: ['.github/workflows/**', '*.lock', 'app.txt'] });
    await listed.getByRole('listitem').filter({ hasText: 'app.txt matches app.txt' }).waitFor();
    await card('Review', 'Add CI').getByText('3 protected files').waitFor();
    expect(await approve.isChecked()).toBe(false);
    await view.getByRole('button', { name: 'Merge', exact: true, disabled: true }).waitFor();
    await approve.check();
    await merge.click();
    await view.getByText(/Merged into main as /).waitFor();
    const onMain = execFileSync('git', ['-C', prepared.repo.path, 'show', 'main:.github/workflows/ci.yml'], { encoding: 'utf8' });
    expect(onMain).toBe('on: push\n');
  });
});
