import type { Terminal } from '@xterm/xterm';
import type { Browser, Page } from 'playwright-core';
import type { Task } from '../../shared/model/task.js';
import { launchChromium } from '../../test/fixtures/browser.js';
import { startModelServer } from '../../test/fixtures/modelServer.js';
import { makeTempRepo } from '../../test/fixtures/tempRepo.js';
import { startBenchHost, type BenchHost } from './benchHost.js';
import type { CleanupStack } from './cleanupStack.js';
import { waitUntil } from './stats.js';

/** Set by the UI under `?e2e` (renderer/src/features/terminal/TerminalSurface.tsx). */
declare global {
  interface Window {
    __flotillaTerminals?: Map<string, Terminal>;
  }
}

/** The set-up the terminal benchmarks share: a real `flotilla serve` and finished tasks, each with a worktree. */
export interface TerminalBenchHost {
  host: BenchHost;
  tasks: Task[];
}

export async function startTerminalHost(cleanup: CleanupStack, taskCount: number): Promise<TerminalBenchHost> {
  const model = await startModelServer({ scenarios: [{ name: 'done', steps: [{ type: 'message', text: 'nothing to do' }] }] });
  cleanup.defer('close the model server', () => model.close());
  const repo = await makeTempRepo();
  cleanup.defer('remove the repo', () => repo.cleanup());
  const host = await startBenchHost(cleanup, { modelUrl: model.url, maxRunning: 4 });
  const added = await host.api.invokeOk('repos.add', { path: repo.path });
  const tasks: Task[] = [];
  for (let i = 0; i < taskCount; i++) {
    const created = await host.api.invokeOk('tasks.create', { repo: added.repo.id, prompt: `look around ${i + 1}`, title: `bench ${i + 1}` });
    tasks.push(created.task);
  }
  await waitUntil(
    `${taskCount} tasks done with their turn`,
    async () => {
      const { tasks: all } = await host.api.invoke('tasks.list', {});
      const mine = all.filter((t) => tasks.some((m) => m.id === t.id));
      return mine.every((t) => t.status === 'review') ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  return { host, tasks };
}

/** Headless Chromium on the real UI with `?e2e` (each xterm exposed on window.__flotillaTerminals). */
export async function openBenchPage(cleanup: CleanupStack, host: BenchHost): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  cleanup.defer('close Chromium', () => browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // tsx (esbuild, keepNames) wraps named functions in page.evaluate bodies with `__name(…)`.
  await page.addInitScript({ content: 'window.__name = (fn) => fn;' });
  await page.goto(host.flotilla.url);
  await page.waitForURL(`${host.flotilla.origin}/`);
  await page.goto(`${host.flotilla.origin}/?e2e`);
  return { browser, page };
}

/** Opens a task's Terminal tab in the UI and waits for its (first) terminal to show a prompt. */
export async function showTerminal(page: Page, task: Task): Promise<void> {
  await page.getByRole('article', { name: task.title }).getByRole('button').first().click();
  await page.getByRole('region', { name: `Task: ${task.title}` }).getByRole('tab', { name: 'Terminal' }).click();
  await page.waitForFunction(() => {
    const term = [...(window.__flotillaTerminals?.values() ?? [])].at(-1);
    if (!term) return false;
    const buffer = term.buffer.active;
    return (buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? '').trim().length > 0;
  });
}
