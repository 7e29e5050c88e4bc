import { describe, expect, it } from 'vitest';
import { boardOf } from './support/board.js';
import { browserSuite, shootBothThemes } from './support/suite.js';
import { openWorld } from './support/world.js';

/** The agent's plan (its update_plan tool) on the card and in the task view, and the instructions in effect, from a real run. */

const suite = browserSuite([
  {
    name: 'plan',
    match: 'Plan the refactor',
    steps: [
      {
        type: 'tool',
        name: 'update_plan',
        arguments: {
          explanation: 'split before moving',
          plan: [
            { step: 'Read the auth module', status: 'completed' },
            { step: 'Split the session store', status: 'in_progress' },
            { step: 'Run the tests', status: 'pending' },
          ],
        },
      },
      { type: 'message', text: 'Planned; the store is next.' },
    ],
  },
]);

describe('the agent’s plan', () => {
  it('shows progress on the card and the checklist in the task view', async () => {
    const { page, prepared } = await openWorld({
      browser: suite.browser,
      hosts: suite.hosts,
      page: { viewport: { width: 1440, height: 900 } },
      prepare: async (host) => {
        const repo = await host.repo({ name: 'shop', files: { 'README.md': '# shop\n', 'AGENTS.md': 'Use tabs. Run make check.\n' } });
        return host.api.newTask({ repo: repo.path, prompt: 'Plan the refactor', title: 'Refactor auth' });
      },
    });
    const { card, taskView } = boardOf(page);
    const reviewCard = card('Review', 'Refactor auth');
    await reviewCard.waitFor({ timeout: 60_000 });
    const line = reviewCard.getByText('Split the session store');
    await line.waitFor();
    expect(await reviewCard.getByLabel('Plan: 1 of 3 steps done').innerText()).toBe('1/3');

    await reviewCard.getByRole('button', { name: 'Refactor auth' }).first().click();
    const view = taskView('Refactor auth');
    await view.getByText('Plan', { exact: false }).first().click();
    const steps = view.locator('.task-plan-step');
    await expect.poll(() => steps.count()).toBe(3);
    expect(await steps.nth(1).getAttribute('data-status')).toBe('in_progress');
    expect(await view.locator('.task-plan').innerText()).toContain('split before moving');
    expect(prepared.id).toBeTruthy();

    await view.getByText('Instructions in effect').click();
    const instructions = view.locator('.task-instructions');
    await instructions.getByText('AGENTS.md').click();
    await instructions.getByText('Use tabs. Run make check.').waitFor();
    expect(await instructions.innerText()).toMatch(/repository · 26 bytes/);
    await shootBothThemes(page, 'task-plan-1440');
  });
});
