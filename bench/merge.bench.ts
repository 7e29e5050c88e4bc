/**
 * `npm run bench -- merge [FILES]`: what Flotilla's merge of a task costs next to doing it by hand
 * with git, for each strategy, in a repo of FILES small files (default 5,000, cached under
 * os.tmpdir()).
 *   git      — in a throwaway clone of the same repo, main reset to the repo's main and the task
 *              branch fetched (outside the timing): `git merge --no-ff` (merge), `git merge
 *              --squash` + `git commit` (squash), `git rebase` onto main + `git merge --ff-only`
 *              (rebase);
 *   flotilla — `tasks.merge` over the HTTP API: the checks (tip, uncommitted work, protected paths,
 *              conflict markers), the merge computed without touching the checkout
 *              (merge-tree/commit-tree, or the replay for rebase), the checkout fast-forwarded,
 *              the worktree archived on refs/flotilla/archive/<id> and removed, the branch deleted
 *              after squash and rebase.
 * Each run: a task (the scripted agent edits 20 files) reaches Review, the user commits a file of
 * their own on main (so no strategy is a plain fast-forward), then git, then Flotilla, in that
 * order. RUNS runs per strategy, strategies interleaved; medians.
 * Last line: `merge: <strategy>_git=<ms>ms <strategy>_flotilla=<ms>ms … ratio=<Σflotilla/Σgit>`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MergeStrategy } from '../shared/model/task.js';
import { startModelServer } from '../test/fixtures/modelServer.js';
import { startBenchHost, type BenchHost } from './lib/benchHost.js';
import { ensureBigRepo, git, resetBigRepo } from './lib/bigRepo.js';
import { runBench } from './lib/runBench.js';
import { fixed, median, waitUntil } from './lib/stats.js';

const FILE_COUNT = Number(process.argv[2] ?? 5_000);
const RUNS = 3;
const STRATEGIES: readonly MergeStrategy[] = ['merge', 'squash', 'rebase'];
/** 20 files of the generated repo (src/pkg0/mod0/file0.ts …), each given one more line. */
const EDIT_COMMAND = 'for i in $(seq 0 19); do echo "// changed by the task" >> src/pkg0/mod0/file$i.ts; done';

await runBench('merge', async (cleanup) => {
  const repo = await ensureBigRepo(FILE_COUNT);
  cleanup.defer('reset the big repo', () => resetBigRepo(repo.path));
  const mainAtStart = (await git(repo.path, ['rev-parse', 'main'])).stdout.trim();
  // The runs commit to main: put it back where it was, the cache serves the next benchmark.
  cleanup.defer('put main back', async () => {
    await git(repo.path, ['reset', '--quiet', '--hard', mainAtStart]);
  });
  console.log(`merge: repo of ${FILE_COUNT} files ${repo.isFresh ? 'generated' : 'reused from the cache'} (${repo.path}); ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}`);

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-merge-'));
  cleanup.defer(`remove ${scratch}`, () => fs.rmSync(scratch, { recursive: true, force: true }));
  const clone = path.join(scratch, 'clone');
  await git(scratch, ['clone', '--quiet', repo.path, clone]);

  const model = await startModelServer({
    scenarios: [{ name: 'edit', steps: [{ type: 'shell', command: EDIT_COMMAND }, { type: 'message', text: 'Edited 20 files.' }] }],
  });
  cleanup.defer('close the model server', () => model.close());
  const host = await startBenchHost(cleanup, { modelUrl: model.url });
  const { repo: added } = await host.api.invokeOk('repos.add', { path: repo.path });

  const gitMs: Record<MergeStrategy, number[]> = { merge: [], squash: [], rebase: [] };
  const flotillaMs: Record<MergeStrategy, number[]> = { merge: [], squash: [], rebase: [] };
  for (let run = 0; run <= RUNS; run++) {
    for (const strategy of STRATEGIES) {
      const task = await taskInReview(host, added.id, `${strategy} ${run}`);
      fs.writeFileSync(path.join(repo.path, `user-${strategy}-${run}.txt`), 'the user kept working\n');
      await git(repo.path, ['add', '--', `user-${strategy}-${run}.txt`]);
      await git(repo.path, ['commit', '--quiet', '--no-verify', '-m', `user work ${strategy} ${run}`]);

      await git(clone, ['fetch', '--quiet', 'origin', `+main:refs/remotes/origin/main`, `+${task.branch}:refs/remotes/origin/task`]);
      await git(clone, ['checkout', '--quiet', '-B', 'main', 'refs/remotes/origin/main']);
      await git(clone, ['reset', '--quiet', '--hard', 'refs/remotes/origin/main']);
      const byGit = await timed(() => plainGitMerge(clone, strategy));
      const byFlotilla = await timed(() => host.api.invokeOk('tasks.merge', { id: task.id, strategy }));
      // Run 0 warms the caches (the files, git's objects, the host's code paths): not counted.
      if (run === 0) continue;
      gitMs[strategy].push(byGit);
      flotillaMs[strategy].push(byFlotilla);
      console.log(`  run ${run} ${strategy.padEnd(6)}: git ${fixed(byGit, 0)} ms | flotilla ${fixed(byFlotilla, 0)} ms`);
    }
  }

  const figures = STRATEGIES.map((s) => `${s}_git=${fixed(median(gitMs[s]), 0)}ms ${s}_flotilla=${fixed(median(flotillaMs[s]), 0)}ms`);
  const sum = (samples: Record<MergeStrategy, number[]>) => STRATEGIES.reduce((total, s) => total + median(samples[s]), 0);
  console.log(`merge: ${figures.join(' ')} ratio=${fixed(sum(flotillaMs) / sum(gitMs), 2)}`);
});

/** Creates a task whose agent edits 20 files, and waits until it is in Review. */
async function taskInReview(host: BenchHost, repoId: string, label: string): Promise<{ id: string; branch: string }> {
  const { task } = await host.api.invokeOk('tasks.create', { repo: repoId, prompt: `Edit twenty files (${label})`, title: `merge bench ${label}` });
  return waitUntil(
    `task ${task.id} in Review`,
    async () => {
      const got = await host.api.invokeOk('tasks.get', { id: task.id });
      if (got.task.status === 'failed') throw new Error(`task ${task.id} failed: ${got.task.statusReason ?? ''}`);
      return got.task.status === 'review' ? got.task : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 50 },
  );
}

/** The same merge by hand, in the clone with main checked out and the task at origin/task. */
async function plainGitMerge(clone: string, strategy: MergeStrategy): Promise<void> {
  const task = 'refs/remotes/origin/task';
  switch (strategy) {
    case 'merge':
      await git(clone, ['merge', '--quiet', '--no-ff', '--no-verify', '-m', 'Merge the task', task]);
      return;
    case 'squash':
      await git(clone, ['merge', '--quiet', '--squash', task]);
      await git(clone, ['commit', '--quiet', '--no-verify', '-m', 'The task, squashed']);
      return;
    case 'rebase':
      await git(clone, ['checkout', '--quiet', '-B', 'task', task]);
      await git(clone, ['rebase', '--quiet', 'main']);
      await git(clone, ['checkout', '--quiet', 'main']);
      await git(clone, ['merge', '--quiet', '--ff-only', 'task']);
      return;
  }
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await action();
  return performance.now() - startedAt;
}
