import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fixtures/modelServer.js';
import type { Locator } from 'playwright-core';
import { browserSuite, shootBothThemes } from './support/suite.js';
import { openWorld, shotPath } from './support/world.js';

/**
 * Sending a change back from its diff, in a real browser against a real host: a comment on a
 * line (shown under it and in the panel) and one on a range picked with Shift-click, Request
 * changes (the card goes to In progress, the agent's next turn arrives, its request quotes both
 * with their line numbers), a comment in the panel that brings its line into view and flashes
 * it, then an AI review whose finding shows under its line with its priority.
 */

const TITLE = 'Write the greeting';
const findings = JSON.stringify({
  findings: [
    {
      title: 'Greeting lost its name',
      body: 'The second line no longer says who is greeted.',
      confidence_score: 0.9,
      priority: 1,
      code_location: { absolute_file_path: 'greet.txt', line_range: { start: 2, end: 2 } },
    },
  ],
  overall_correctness: 'patch is incorrect',
  overall_explanation: 'One real problem.',
  overall_confidence_score: 0.8,
});

const suite = browserSuite([
  { name: 'review', match: /^Review the change/, steps: [{ type: 'message', text: findings }] },
  {
    name: 'greeting',
    match: /^Write the greeting/,
    steps: [
      { type: 'shell', command: "printf 'hello there\\nworld\\nbye\\n' > greet.txt && seq 1 300 | sed 's/^/row /' > long.txt" },
      { type: 'message', text: 'Wrote greet.txt.' },
      // Held so the card is seen In progress before the turn ends (ms).
      { type: 'hang', ms: 1500 },
      { type: 'message', text: 'Addressed the comments.' },
    ],
  },
  { name: 'default', steps: [{ type: 'message', text: 'nothing to do' }] },
]);

describe('review comments in the Changes view', () => {
  it('comments on a line and a range, requests changes, jumps to a comment, then shows an AI finding under its line', async () => {
    const world = await openWorld({
      browser: suite.browser,
      hosts: suite.hosts,
      prepare: async (host) => {
        const repo = await host.repo({ files: { 'README.md': '# demo\n', 'greet.txt': 'hello there\nold world\nbye\n' } });
        const task = await host.api.task((await host.api.newTask({ repo: repo.path, prompt: 'Write the greeting file', title: TITLE })).id);
        expect(task.status).toBe('review');
        return task.id;
      },
    });
    const { page, prepared: taskId } = world;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('region', { name: 'Review' }).getByRole('article', { name: TITLE }).getByRole('button').first().click();
    const view = page.getByRole('region', { name: `Task: ${TITLE}` });
    await view.getByRole('tab', { name: 'Changes' }).click();
    await view.getByRole('button', { name: 'Unified' }).click();
    const file = view.getByRole('region', { name: 'greet.txt' });
    const panel = view.getByRole('region', { name: 'Comments' });
    await panel.getByText('No comments yet', { exact: false }).waitFor({ timeout: 15_000 });

    // The library's add-widget button shows on the line number of the hovered line.
    const line = file.locator('tr', { hasText: 'world' }).filter({ hasNotText: 'old world' }).first();
    await line.hover();
    await line.locator('.diff-add-widget').first().click();
    const composer = file.getByRole('form', { name: 'Comment on line 2' });
    await composer.getByRole('textbox').fill('Greet the world by name');
    await composer.getByRole('button', { name: 'Add comment' }).click();
    await file.getByRole('list', { name: 'Comments on this line' }).getByText('Greet the world by name').waitFor();
    await panel.getByText('Greet the world by name').waitFor();
    await panel.getByRole('button', { name: 'greet.txt:2' }).waitFor();

    // A range: the first line's add button, then Shift on the last's; the lines between are tinted.
    const first = file.locator('tr', { hasText: 'hello there' }).first();
    await first.hover();
    await first.locator('.diff-add-widget').first().click();
    await file.getByRole('form', { name: 'Comment on line 1' }).waitFor();
    const last = file.locator('tr', { hasText: 'bye' }).first();
    await last.hover();
    await last.locator('.diff-add-widget').first().click({ modifiers: ['Shift'] });
    const rangeComposer = file.getByRole('form', { name: 'Comment on lines 1–3' });
    await rangeComposer.getByText('greet.txt · lines 1–3').waitFor();
    expect(await markOf(file.locator('tr', { hasText: 'world' }).filter({ hasNotText: 'old world' }).first())).toContain('linear-gradient');
    await shootBothThemes(page, 'review-comments-range');
    await rangeComposer.getByRole('textbox').fill('Say it all more kindly');
    await rangeComposer.getByRole('button', { name: 'Add comment' }).click();
    await panel.getByRole('button', { name: 'greet.txt:1–3' }).waitFor();
    await shootBothThemes(page, 'review-comments-1440');
    await page.setViewportSize({ width: 1024, height: 800 });
    await shootBothThemes(page, 'review-comments-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    await panel.getByRole('button', { name: 'Request changes (2)' }).click();
    await page.getByRole('region', { name: 'In progress' }).getByRole('article', { name: TITLE }).waitFor({ timeout: 10_000 });
    await expect
      .poll(() => suite.model.requests.find((r) => r.scenario === 'greeting' && r.turn === 2), { timeout: 20_000 })
      .toBeTruthy();
    const followUp = suite.model.requests.find((r) => r.scenario === 'greeting' && r.turn === 2) as RecordedRequest;
    // The request as sent (JSON): the comment with its file, line and quoted line.
    expect(JSON.stringify(followUp.body)).toContain(JSON.stringify('greet.txt, line 2:\n> world\nGreet the world by name').slice(1, -1));
    expect(JSON.stringify(followUp.body)).toContain(
      JSON.stringify('greet.txt, lines 1-3:\n> hello there\n> world\n> bye\nSay it all more kindly').slice(1, -1),
    );
    await view.getByRole('tab', { name: 'Transcript' }).click();
    await view.getByText('Addressed the comments.').waitFor({ timeout: 20_000 });
    await page.getByRole('region', { name: 'Review' }).getByRole('article', { name: TITLE }).waitFor({ timeout: 20_000 });

    await view.getByRole('tab', { name: 'Changes' }).click();
    await panel.getByText('answered in turn 2').first().waitFor();

    // A comment far down a long file: from the panel, its line comes into view and flashes.
    const added = await world.api.invoke<{ ok: boolean }>('tasks.comment', { id: taskId, file: 'long.txt', startLine: 250, endLine: 251, text: 'Rows 250 and 251 repeat' });
    expect(added.ok).toBe(true);
    await view.getByRole('list', { name: 'Changed files' }).getByRole('button', { name: /greet\.txt/ }).click();
    const row250 = view.getByRole('region', { name: 'long.txt' }).locator('tr', { has: page.locator('[data-line-new-num="250"]') });
    expect(await row250.count()).toBe(0);
    await panel.getByRole('button', { name: 'long.txt:250–251' }).click();
    await row250.waitFor();
    await expect.poll(() => isInViewport(row250)).toBe(true);
    expect(await row250.locator('td').first().evaluate((td) => getComputedStyle(td).animationName)).toMatch(/^line-flash-/);
    await page.screenshot({ path: shotPath('review-comments-jump-light.png') });
    // Back up to the greeting (rows far from the view are dropped and drawn again when near).
    await view.getByRole('list', { name: 'Changed files' }).getByRole('button', { name: /greet\.txt/ }).click();
    await panel.getByRole('button', { name: 'Review with agent' }).click();
    await panel.getByText('patch is incorrect').waitFor({ timeout: 20_000 });
    const inline = file.getByRole('list', { name: 'Comments on this line' });
    await inline.getByText('Greeting lost its name').waitFor();
    await inline.getByText('P1 urgent').waitFor();
    await shootBothThemes(page, 'review-comments-finding');
  });
});

/** The overlay a row's cells get while its lines are picked for a comment (a background image). */
function markOf(row: Locator): Promise<string> {
  return row.locator('td').last().evaluate((td) => getComputedStyle(td).backgroundImage);
}

/** Whether the row is inside the window, top to bottom. */
function isInViewport(row: Locator): Promise<boolean> {
  return row.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });
}
