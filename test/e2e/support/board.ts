import type { Locator, Page } from 'playwright-core';
import type { FlotillaServer } from '../../fixtures/flotillaProcess.js';

/** The board's landmarks by their accessible names, as a user finds them. */
export function boardOf(page: Page) {
  const column = (name: string) => page.getByRole('region', { name, exact: true });
  return {
    column,
    card: (columnName: string, title: string) => column(columnName).getByRole('article', { name: title, exact: true }),
    taskView: (title: string) => page.getByRole('region', { name: `Task: ${title}` }),
  };
}

/** Presses, moves in small steps (dnd-kit needs real pointer moves past its 6 px threshold), releases. */
export async function drag(page: Page, from: Locator, to: Locator, beforeDrop?: () => Promise<unknown>): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('drag: an element is not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 4, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + Math.min(b.height / 2, 160), { steps: 15 });
  await beforeDrop?.();
  await page.mouse.up();
}

/** Waits for a dialog to close; if it shows an error instead, fails with the error's words. */
export async function closedOrFailed(dialog: Locator): Promise<void> {
  const alert = dialog.getByRole('alert');
  await Promise.race([dialog.waitFor({ state: 'hidden' }), alert.waitFor()]);
  if (await dialog.isVisible()) throw new Error(`the dialog stayed open: ${await alert.innerText()}`);
}

/** A task as `flotilla task list --json` shows it, found by its (unique) title. */
export async function taskByTitle<T extends { id: string; title: string }>(flotilla: FlotillaServer, title: string): Promise<T> {
  const tasks = await flotilla.cliJson<T[]>(['task', 'list']);
  const found = tasks.find((t) => t.title === title);
  if (!found) throw new Error(`no task titled ${title}`);
  return found;
}

/** Polls `task show` until the task has `status` (or 30 s pass); returns what it last showed. */
export async function waitForStatus<T extends { status: string }>(flotilla: FlotillaServer, taskId: string, status: string): Promise<T> {
  return waitForTask<T>(flotilla, taskId, (task) => task.status === status);
}

/** Polls `task show` until `isDone` holds (or 30 s pass); returns what it last showed. */
export async function waitForTask<T>(flotilla: FlotillaServer, taskId: string, isDone: (task: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const task = await flotilla.cliJson<T>(['task', 'show', taskId]);
    if (isDone(task) || Date.now() > deadline) return task;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
