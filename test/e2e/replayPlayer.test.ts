import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { boardOf } from './support/board.js';
import { browserSuite, shootBothThemes } from './support/suite.js';
import { openWorld } from './support/world.js';

/**
 * The Replays view in a real browser against `flotilla serve`: a scripted task asks an approval,
 * is approved from the live board, reaches Review and is merged; the Replays view lists this
 * machine's session, plays it at 32× on the app's own board (read-only) through the same columns
 * the live board showed, jumps back to the approval by its marker (the card in Needs you, its
 * transcript as of then) and forward to the merge; the run exported and imported again is listed
 * as Imported and plays to the same end.
 */

const TITLE = 'Write the notes';

const suite = browserSuite([
  {
    name: 'notes',
    match: /^Write the notes/,
    steps: [
      // Each hang (ms) holds the card In progress long enough to be one frame or more at 32×.
      { type: 'hang', ms: 1200 },
      { type: 'shell', command: "printf 'notes\\n' > NOTES.md", network: true, justification: 'fetch the release notes' },
      { type: 'hang', ms: 1200 },
      { type: 'message', text: 'Wrote NOTES.md.' },
    ],
  },
]);

/**
 * Runs in the page before the app: records the columns the (only) card shows in, in order and
 * without repeats, once for the live board and once for the replay (`__columns.phase`).
 */
function recordColumns(): void {
  const seen = { phase: 'live' as 'live' | 'replay', live: [] as string[], replay: [] as string[] };
  Object.defineProperty(window, '__columns', { value: seen });
  const record = () => {
    const column = document.querySelector('[data-task-id]')?.closest('[data-column]')?.getAttribute('data-column');
    const list = seen[seen.phase];
    if (column && list[list.length - 1] !== column) list.push(column);
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
}

type Columns = { phase: 'live' | 'replay'; live: string[]; replay: string[] };
const columnsOf = (page: Page) => page.evaluate(() => (window as unknown as { __columns: Columns }).__columns);

describe('Replays view', () => {
  it('plays a recorded session on the board, the same columns as live, and jumps to the approval and the merge', async () => {
    const world = await openWorld({
      browser: suite.browser,
      hosts: suite.hosts,
      page: { viewport: { width: 1440, height: 900 }, initScript: recordColumns },
    });
    const { page, api } = world;
    const live = boardOf(page);

    // Live: the run to replay, approved from the board as a user would.
    const repo = await world.repo({ name: 'notes', files: { 'README.md': '# notes\n' } });
    const task = await api.newTask({ repo: repo.path, prompt: 'Write the notes file', title: TITLE });
    const asking = live.card('Needs you', TITLE);
    await asking.getByRole('button', { name: 'Approve' }).waitFor();
    await shootBothThemes(page, 'replay-live-approval');
    await asking.getByRole('button', { name: 'Approve' }).click();
    expect((await api.task(task.id)).status).toBe('review');
    await live.card('Review', TITLE).waitFor();
    const merged = await api.invoke<{ ok: boolean }>('tasks.merge', { id: task.id });
    expect(merged.ok).toBe(true);
    await live.card('Done', TITLE).waitFor();

    // The Replays view, from the top bar: this machine's session is listed.
    await page.evaluate(() => {
      (window as unknown as { __columns: Columns }).__columns.phase = 'replay';
    });
    await page.getByRole('banner').getByRole('button', { name: 'Replays' }).click();
    const replays = page.getByRole('region', { name: 'Replays' });
    const session = replays.getByRole('list', { name: 'Recordings' }).getByRole('button', { name: new RegExp(TITLE) });
    await session.waitFor();
    await expect(session.innerText()).resolves.toMatch(/This machine/);
    await shootBothThemes(page, 'replay-list');
    await session.click();

    // The same Board component, fed by the replay: read-only (no Move menu, nothing draggable).
    const board = boardOf(page);
    await board.card('Backlog', TITLE).waitFor();
    expect(await replays.getByRole('button', { name: 'Move to…' }).count()).toBe(0);
    await replays.getByLabel('Speed').selectOption('32');
    const slider = replays.getByRole('slider', { name: 'Replay position' });
    await slider.focus();
    await page.keyboard.press('Space');
    await replays.getByRole('button', { name: 'Pause' }).waitFor();
    // Played to the end, it stops by itself.
    await replays.getByRole('button', { name: 'Play' }).waitFor({ timeout: 20_000 });
    await board.card('Done', TITLE).waitFor();
    const columns = await columnsOf(page);
    expect(columns.replay).toEqual(columns.live);
    expect(columns.replay.join(' → ')).toBe('backlog → in_progress → needs_you → in_progress → review → done');

    // Back to the approval by its marker: Needs you with the request, which a replay cannot answer.
    const markers = replays.getByRole('toolbar', { name: 'Markers' });
    await markers.getByRole('button', { name: new RegExp(`^Approval asked \\(approved\\): ${TITLE}`) }).click();
    const needsYou = board.card('Needs you', TITLE);
    await needsYou.waitFor();
    await expect(needsYou.getByRole('button', { name: 'Approve' }).isDisabled()).resolves.toBe(true);
    await expect(slider.getAttribute('aria-valuetext')).resolves.toMatch(/^\d\d:\d\d:\d\d, /);

    // Its transcript as of then: the command asked, not yet the agent's last word.
    await needsYou.getByRole('button', { name: TITLE }).click();
    const panel = board.taskView(TITLE);
    await panel.getByText("printf 'notes\\n' > NOTES.md").first().waitFor();
    expect(await panel.getByText('Wrote NOTES.md.').count()).toBe(0);
    await shootBothThemes(page, 'replay-approval-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await shootBothThemes(page, 'replay-approval-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    // Forward to the merge: Done, and the transcript has caught up.
    await markers.getByRole('button', { name: new RegExp(`^Merged: ${TITLE}`) }).click();
    await board.card('Done', TITLE).waitFor();
    await panel.getByText('Wrote NOTES.md.').waitFor();

    // The keyboard: Home on the timeline goes back to the start.
    await slider.focus();
    await page.keyboard.press('Home');
    await expect(slider.getAttribute('aria-valuenow')).resolves.toBe('0');

    // The markers from the keyboard: one Tab stop, arrows between them, Enter jumps.
    await markers.getByRole('button', { name: /^Task started/ }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toMatch(/^Approval asked/);
    await page.keyboard.press('Enter');
    await board.card('Needs you', TITLE).waitFor();

    // Nothing the replay showed acted on the host: the task is as the live run left it.
    expect((await api.task(task.id)).status).toBe('merged');
    await replays.getByRole('button', { name: 'Back to board' }).click();
    await live.card('Done', TITLE).waitFor();

    // The same run exported and imported is listed as Imported and plays the same way.
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla replay ')), 'notes.flotilla-replay.gz');
    onTestFinished(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
    expect(await api.invoke<{ ok: boolean }>('replay.export', { since: 0, out })).toMatchObject({ ok: true });
    expect(await api.invoke<{ ok: boolean }>('replay.import', { path: out })).toMatchObject({ ok: true, format: 'flotilla' });
    await page.getByRole('banner').getByRole('button', { name: 'Replays' }).click();
    // Titled by the export (what it covers), not by the task.
    const imported = replays.getByRole('list', { name: 'Recordings' }).getByRole('button').filter({ hasText: 'Imported' });
    await imported.waitFor();
    await shootBothThemes(page, 'replay-list-imported');
    await imported.click();
    await board.card('Backlog', TITLE).waitFor();
    await slider.focus();
    await page.keyboard.press('End');
    await board.card('Done', TITLE).waitFor();
  });
});
