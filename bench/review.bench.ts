/**
 * `npm run bench -- review`: how fast does a big change open in the Changes view?
 * Two tasks, each run by a scripted agent in a real `flotilla serve`, reviewed in headless
 * Chromium (the real renderer build):
 *   - single: one new file of 10,000 lines (collapsed by default, over 500 lines: the
 *     benchmark clicks "Show diff" as a user would, inside the measured time);
 *   - many: 300 new files of 134 lines each (40,200 lines).
 * For each, from the click on the Changes tab: the first hunk painted (a diff line in the
 * DOM, then two animation frames), and the visible area highlighted (a syntax token on
 * screen; files over HIGHLIGHT_MAX_LINES are drawn plain by design and report "plain").
 * Each time is divided by plain `git diff` printing the same patch (median of 5, same run).
 * Then the view is scrolled to the end, 400 px a frame, and the longest main-thread task
 * (PerformanceObserver 'longtask', 50 ms and over are reported by Chromium) is recorded,
 * together with the longest task while opening.
 * Last line: `review: single_first_hunk=… many_first_hunk=… … longtask_scroll_max=<ms> ratio=<worst first-hunk ratio>`.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/fixtures/browser.js';
import { startModelServer } from '../test/fixtures/modelServer.js';
import { makeTempRepo } from '../test/fixtures/tempRepo.js';
import { startBenchHost, type BenchHost } from './lib/benchHost.js';
import { runBench } from './lib/runBench.js';
import { fixed, median, waitUntil } from './lib/stats.js';

const SINGLE_LINES = 10_000;
const MANY_FILES = 300;
const LINES_PER_FILE = 134;
/** Long enough for the host to checkpoint 300 files on 2 shared cores. */
const TASK_TIMEOUT_MS = 180_000;

// Lines that look like code, so the highlighter has tokens to colour.
const SINGLE_WORK = `mkdir -p src && awk 'BEGIN { for (i = 1; i <= ${SINGLE_LINES}; i++) printf "export const value%d = %d;\\n", i, i }' > src/big.ts`;
const MANY_WORK =
  `mkdir -p src/many && awk 'BEGIN { for (f = 1; f <= ${MANY_FILES}; f++) { name = sprintf("src/many/file%03d.ts", f); ` +
  `for (i = 1; i <= ${LINES_PER_FILE}; i++) printf "export const item%d = %d;\\n", i, i * f > name; close(name) } }'`;

interface Opened {
  firstHunkMs: number;
  /** null: the visible file is drawn without highlighting (too big, by design). */
  highlightedMs: number | null;
  longestOpenTaskMs: number;
}

await runBench('review', async (cleanup) => {
  const model = await startModelServer({
    scenarios: [
      { name: 'single', match: 'one big file', steps: [{ type: 'shell', command: SINGLE_WORK }, { type: 'message', text: 'Wrote the big file.' }] },
      { name: 'many', match: 'many files', steps: [{ type: 'shell', command: MANY_WORK }, { type: 'message', text: 'Wrote many files.' }] },
    ],
  });
  cleanup.defer('stop the model server', () => model.close());
  const host = await startBenchHost(cleanup, { modelUrl: model.url });
  const repo = await makeTempRepo({ name: 'review bench repo' });
  cleanup.defer('remove the repo', () => repo.cleanup());
  const repoId = (await host.api.invokeOk('repos.add', { path: repo.path })).repo.id;

  const single = await taskInReview(host, repoId, 'one big file', 'Review one big file');
  const many = await taskInReview(host, repoId, 'many files', 'Review many files');
  const singleGit = await gitDiffMs(host, repo.path, single);
  const manyGit = await gitDiffMs(host, repo.path, many);

  const browser = await launchChromium();
  cleanup.defer('close Chromium', () => browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // tsx names inner functions with a `__name` helper that the page does not have: a no-op one.
  await page.addInitScript('window.__name = (fn) => fn');
  page.on('console', (message) => {
    if (message.text().startsWith('scroll:')) console.log(`review: ${message.text()}`);
  });
  await page.goto(host.flotilla.url);
  await page.getByRole('region', { name: 'Review' }).waitFor({ timeout: 30_000 });

  const profile = process.argv.includes('--profile') ? await startProfile(browser, page) : null;
  const singleOpened = await openChanges(page, 'Review one big file', true);
  const singleScroll = await scrollToEnd(page);
  const manyOpened = await openChanges(page, 'Review many files', false);
  const manyScroll = await scrollToEnd(page);
  if (profile) await profile.printTop(30);

  const show = (ms: number | null) => (ms === null ? 'plain' : `${fixed(ms)}ms`);
  const ratioOf = (ms: number | null, git: number) => (ms === null ? 'n/a' : fixed(ms / git, 1));
  console.log(`review: git diff: single ${fixed(singleGit)} ms, many ${fixed(manyGit)} ms (median of 5)`);
  console.log(
    `review: single (1 file, ${SINGLE_LINES} lines): first hunk ${show(singleOpened.firstHunkMs)} (x${ratioOf(singleOpened.firstHunkMs, singleGit)}), ` +
      `highlighted ${show(singleOpened.highlightedMs)} (x${ratioOf(singleOpened.highlightedMs, singleGit)}), longest task opening ${fixed(singleOpened.longestOpenTaskMs)} ms, scrolling ${fixed(singleScroll.longestMs)} ms (${singleScroll.count} long tasks)`,
  );
  console.log(
    `review: many (${MANY_FILES} files, ${MANY_FILES * LINES_PER_FILE} lines): first hunk ${show(manyOpened.firstHunkMs)} (x${ratioOf(manyOpened.firstHunkMs, manyGit)}), ` +
      `highlighted ${show(manyOpened.highlightedMs)} (x${ratioOf(manyOpened.highlightedMs, manyGit)}), longest task opening ${fixed(manyOpened.longestOpenTaskMs)} ms, scrolling ${fixed(manyScroll.longestMs)} ms (${manyScroll.count} long tasks)`,
  );
  const ratio = Math.max(singleOpened.firstHunkMs / singleGit, manyOpened.firstHunkMs / manyGit);
  console.log(
    `review: single_first_hunk=${show(singleOpened.firstHunkMs)} single_highlighted=${show(singleOpened.highlightedMs)} ` +
      `many_first_hunk=${show(manyOpened.firstHunkMs)} many_highlighted=${show(manyOpened.highlightedMs)} ` +
      `git_single=${fixed(singleGit)}ms git_many=${fixed(manyGit)}ms longtask_open_max=${fixed(Math.max(singleOpened.longestOpenTaskMs, manyOpened.longestOpenTaskMs))}ms ` +
      `longtask_scroll_max=${fixed(Math.max(singleScroll.longestMs, manyScroll.longestMs))}ms longtask_scroll_count=${singleScroll.count + manyScroll.count} ` +
      `load=${loadavg()[0]?.toFixed(1) ?? '?'} ratio=${fixed(ratio, 1)}`,
  );
});

/**
 * `--profile`: a Chromium trace over the whole run; prints what the main thread's long tasks
 * (over 50 ms) spent their time on, by trace event name (nested events counted in each).
 */
async function startProfile(browser: Browser, page: Page): Promise<{ printTop: (count: number) => Promise<void> }> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  return {
    printTop: async (count) => {
      type TraceEvent = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { data?: { functionName?: string; url?: string } } };
      const { traceEvents } = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
      const main = traceEvents.find((e) => e.name === 'thread_name' && (e.args as { name?: string } | undefined)?.name === 'CrRendererMain');
      const onMain = traceEvents.filter((e) => e.ph === 'X' && e.dur !== undefined && (!main || (e.pid === main.pid && e.tid === main.tid)));
      const long = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 50_000);
      const byName = new Map<string, number>();
      for (const task of long) {
        const end = task.ts + (task.dur ?? 0);
        for (const e of onMain) {
          if (e === task || e.ts < task.ts || e.ts >= end) continue;
          const fn = e.name === 'FunctionCall' && e.args?.data?.functionName ? ` ${e.args.data.functionName}` : '';
          byName.set(e.name + fn, (byName.get(e.name + fn) ?? 0) + (e.dur ?? 0) / 1000);
        }
      }
      console.log(`review: profile: ${long.length} long tasks, ${fixed(long.reduce((n, t) => n + (t.dur ?? 0), 0) / 1000)} ms in all`);
      // The longest few, each with the events inside that took a fifth of it or more.
      for (const task of [...long].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 8)) {
        const end = task.ts + (task.dur ?? 0);
        const big = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts < end && (e.dur ?? 0) >= (task.dur ?? 0) / 5);
        console.log(`review: profile task ${fixed((task.dur ?? 0) / 1000)} ms: ${big.map((e) => `${e.name}${e.args?.data?.functionName ? `(${e.args.data.functionName})` : ''} ${fixed((e.dur ?? 0) / 1000)}`).join(' > ')}`);
      }
      for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`review: profile ${fixed(ms)} ms ${name}`);
    },
  };
}

async function taskInReview(host: BenchHost, repoId: string, prompt: string, title: string): Promise<{ id: string; from: string; to: string }> {
  const { task } = await host.api.invokeOk('tasks.create', { repo: repoId, prompt, title });
  await waitUntil(
    `task "${title}" in Review`,
    async () => {
      const got = await host.api.invokeOk('tasks.get', { id: task.id });
      if (got.task.status === 'failed') throw new Error(`task "${title}" failed: ${got.task.statusReason ?? ''}`);
      return got.task.status === 'review' ? true : undefined;
    },
    { timeoutMs: TASK_TIMEOUT_MS, intervalMs: 250 },
  );
  const { diff } = await host.api.invokeOk('tasks.diff', { id: task.id });
  return { id: task.id, from: diff.fromCommit, to: diff.toCommit };
}

/** Plain `git diff` of the same two commits to /dev/null's equivalent (captured), median of 5 runs, ms. */
async function gitDiffMs(_host: BenchHost, repoPath: string, task: { from: string; to: string }): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    const result = spawnSync('git', ['-C', repoPath, 'diff', '--no-ext-diff', '--no-color', task.from, task.to], { maxBuffer: 1 << 30 });
    runs.push(performance.now() - started);
    if (result.status !== 0) throw new Error(`git diff failed: ${result.stderr.toString()}`);
  }
  return median(runs);
}

/** Opens the task and its Changes tab; times, in the page, the first hunk and the first visible highlight. */
async function openChanges(page: Page, title: string, expandFirst: boolean): Promise<Opened> {
  await page.getByRole('region', { name: 'Review' }).getByRole('article', { name: title }).getByRole('button').first().click();
  const view = page.getByRole('region', { name: `Task: ${title}` });
  const tab = view.getByRole('tab', { name: 'Changes' });
  await tab.waitFor();
  const opened = await tab.evaluate(
    (tabElement, opts) =>
      new Promise<Opened>((resolve) => {
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) longTasks.push(entry.duration);
        });
        observer.observe({ type: 'longtask', buffered: false });
        const panel = document.getElementById(tabElement.getAttribute('aria-controls') ?? '') ?? document.body;
        const started = performance.now();
        let firstHunkMs: number | null = null;
        let highlightedMs: number | null = null;
        let hasClickedShow = false;
        const isOnScreen = (el: Element) => {
          const box = el.getBoundingClientRect();
          return box.bottom > 0 && box.top < window.innerHeight && box.width > 0;
        };
        const finish = () => {
          observer.disconnect();
          resolve({ firstHunkMs: firstHunkMs ?? -1, highlightedMs, longestOpenTaskMs: Math.max(0, ...longTasks) });
        };
        const tick = () => {
          if (!hasClickedShow && opts.expandFirst) {
            const show = Array.from(panel.querySelectorAll('button')).find((b) => b.textContent === 'Show diff');
            if (show) {
              hasClickedShow = true;
              show.click();
            }
          }
          const line = panel.querySelector('.library-patch .diff-line-syntax-raw, .library-patch .diff-line-content-raw, .library-patch td');
          if (firstHunkMs === null && line) {
            // Painted: the frame after the one that laid it out.
            requestAnimationFrame(() => requestAnimationFrame(() => {
              if (firstHunkMs === null) firstHunkMs = performance.now() - started;
            }));
          }
          const tokens = Array.from(panel.querySelectorAll('.library-patch [class*="hljs-"]')).slice(0, 50);
          if (highlightedMs === null && tokens.some(isOnScreen)) highlightedMs = performance.now() - started;
          const patch = panel.querySelector('.library-patch');
          const isPlainByDesign = patch !== null && firstHunkMs !== null && performance.now() - started > firstHunkMs + 2000;
          if ((firstHunkMs !== null && highlightedMs !== null) || isPlainByDesign || performance.now() - started > 60_000) {
            finish();
            return;
          }
          requestAnimationFrame(tick);
        };
        (tabElement as HTMLElement).click();
        requestAnimationFrame(tick);
      }),
    { expandFirst },
  );
  if (opened.firstHunkMs < 0) throw new Error(`no hunk painted for "${title}" within 60 s`);
  return opened;
}

/** Scrolls the open Changes panel to its end, 400 px a frame; the longest main-thread task, ms. */
async function scrollToEnd(page: Page): Promise<{ longestMs: number; count: number }> {
  const longest = await page.evaluate(
    () =>
      new Promise<{ longestMs: number; count: number }>((resolve) => {
        const changes = Array.from(document.querySelectorAll('.changes')).find((el) => (el as HTMLElement).offsetParent !== null);
        let scroller: HTMLElement | null = changes?.parentElement ?? null;
        while (scroller && scroller.scrollHeight <= scroller.clientHeight + 1) scroller = scroller.parentElement;
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) longTasks.push(entry.duration);
        });
        observer.observe({ type: 'longtask', buffered: false });
        const started = performance.now();
        const step = () => {
          if (!scroller) return done();
          scroller.scrollTop += 400;
          const isAtEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
          // 30 s: the 300-file change is ~40k lines of scrolling; stop rather than hang.
          if (isAtEnd || performance.now() - started > 30_000) setTimeout(done, 300);
          else requestAnimationFrame(step);
        };
        const done = () => {
          observer.disconnect();
          const top = [...longTasks].sort((a, b) => b - a).slice(0, 5).map(Math.round);
          const total = Math.round(longTasks.reduce((n, ms) => n + ms, 0));
          console.log(`scroll: ${longTasks.length} long tasks (${total} ms in all) in ${Math.round(performance.now() - started)} ms, longest ${top.join(', ')} ms`);
          resolve({ longestMs: Math.max(0, ...longTasks), count: longTasks.length });
        };
        requestAnimationFrame(step);
      }),
  );
  // By text in the page: a role query computes every accessible name of a 10k-line DOM (slow under --profile).
  await page.evaluate(() => Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Close' && b.offsetParent !== null)?.click());
  return longest;
}
