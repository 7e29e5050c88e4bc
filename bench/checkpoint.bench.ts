/**
 * `npm run bench -- checkpoint [FILES]`: what one end-of-turn checkpoint costs in a big worktree
 * (default 50,000 small files, the worktree bench's cached repo), against the peer a user would
 * type: `git add --all && git commit` in a second worktree of the same repo with the same change.
 *   git      — `git add --all` then `git commit --quiet --no-verify` (hooks off, plain git);
 *   flotilla — checkpointCommit: the hardened runner, embedded repositories staged as plain
 *              files, the commit built from plumbing (see electron/core/git/checkpoint.ts).
 * Each round changes 100 files and adds 20 in both worktrees (outside the timing); 7 rounds,
 * alternating which goes first, after one warm-up of each; medians.
 * Last line: `checkpoint: git=<ms>ms flotilla=<ms>ms ratio=<flotilla/git>`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkpointCommit } from '../electron/core/git/checkpoint.js';
import { ensureBigRepo, git } from './lib/bigRepo.js';
import { runBench } from './lib/runBench.js';
import { fixed, median } from './lib/stats.js';

const FILE_COUNT = Number(process.argv[2] ?? 50_000);
const ROUNDS = 7;
const CHANGED_PER_ROUND = 100;
const ADDED_PER_ROUND = 20;

/** The same change in a worktree: CHANGED_PER_ROUND edited files, ADDED_PER_ROUND new ones. */
function change(worktree: string, round: number): void {
  for (let i = 0; i < CHANGED_PER_ROUND; i++) {
    // Spread over the tree, as an agent's edits are: one file every 500.
    const n = (i * 500 + round) % FILE_COUNT;
    const file = path.join(worktree, 'src', `pkg${Math.floor(n / 1000)}`, `mod${Math.floor((n % 1000) / 50)}`, `file${n % 50}.ts`);
    fs.appendFileSync(file, `// round ${round}\n`);
  }
  const added = path.join(worktree, 'added', `round${round}`);
  fs.mkdirSync(added, { recursive: true });
  for (let i = 0; i < ADDED_PER_ROUND; i++) fs.writeFileSync(path.join(added, `new${i}.ts`), `export const added = ${i};\n`);
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await run();
  return performance.now() - startedAt;
}

await runBench('checkpoint', async (cleanup) => {
  const repo = await ensureBigRepo(FILE_COUNT);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-checkpoint-'));
  cleanup.defer(`remove ${scratch}`, () => fs.rmSync(scratch, { recursive: true, force: true }));
  const worktrees = { git: path.join(scratch, 'git'), flotilla: path.join(scratch, 'flotilla') };
  for (const [name, dir] of Object.entries(worktrees)) {
    await git(repo.path, ['worktree', 'add', '--quiet', '-b', `bench-checkpoint-${name}-${process.pid}`, dir, 'HEAD']);
    cleanup.defer(`remove worktree ${dir}`, async () => {
      await git(repo.path, ['worktree', 'remove', '--force', dir]);
      await git(repo.path, ['branch', '-D', `bench-checkpoint-${name}-${process.pid}`]);
    });
  }
  const runGit = () => git(worktrees.git, ['add', '--all']).then(() => git(worktrees.git, ['commit', '--quiet', '--no-verify', '-m', 'turn']));
  const runFlotilla = async () => {
    const result = await checkpointCommit({ worktreePath: worktrees.flotilla, message: 'turn' });
    if (result?.filesChanged !== CHANGED_PER_ROUND + ADDED_PER_ROUND) throw new Error(`checkpoint committed ${result?.filesChanged ?? 0} files`);
  };

  const samples = { git: [] as number[], flotilla: [] as number[] };
  for (let round = 0; round <= ROUNDS; round++) {
    change(worktrees.git, round);
    change(worktrees.flotilla, round);
    const order = round % 2 === 0 ? (['git', 'flotilla'] as const) : (['flotilla', 'git'] as const);
    for (const who of order) {
      const ms = await timed(who === 'git' ? runGit : runFlotilla);
      if (round > 0) samples[who].push(ms); // round 0 warms the file cache
    }
  }
  const gitMs = median(samples.git);
  const flotillaMs = median(samples.flotilla);
  console.log(`checkpoint: ${FILE_COUNT} files, ${CHANGED_PER_ROUND} changed + ${ADDED_PER_ROUND} added per round, ${ROUNDS} rounds; ${os.cpus().length} cores`);
  console.log(`git add --all && git commit: ${samples.git.map((ms) => fixed(ms, 0)).join(' ')} ms`);
  console.log(`checkpointCommit:            ${samples.flotilla.map((ms) => fixed(ms, 0)).join(' ')} ms`);
  console.log(`checkpoint: git=${fixed(gitMs, 0)}ms flotilla=${fixed(flotillaMs, 0)}ms ratio=${fixed(flotillaMs / gitMs, 2)}`);
});
