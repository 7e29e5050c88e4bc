import { repoDriverOverrides, type ConfigOverrides } from './repoDrivers.js';
import { runGit } from './runGit.js';

/** One open task as the prediction needs it. */
export interface OpenBranch {
  taskId: string;
  repoPath: string;
  /** The branch's tip commit; null when the branch is missing. */
  tip: string | null;
}

export interface SiblingConflict {
  taskId: string;
  /** Files both would change in ways that conflict, sorted. */
  files: string[];
}

/**
 * 2,000 pairs: past a few dozen open tasks per repo the cache is dropped rather than grown;
 * an entry is a pair of commits and a few file names.
 */
const MAX_CACHED_PAIRS = 2_000;

/**
 * Predicts which open tasks of the same repo would conflict with each other once one of them is
 * merged: `git merge-tree --write-tree` of the two tips, in the object store only (no working
 * tree, no lock: nothing is written but objects), at the lowest CPU priority. The answer for a
 * pair of tips never changes, so each pair is computed once; a turn that moves a branch makes a
 * new pair. Callers debounce: the renderer asks after the board settles, not per event.
 */
export class ConflictPredictor {
  private readonly pairs = new Map<string, Promise<string[]>>();

  /** Every task's predicted conflicts with its siblings (tasks without any are absent). */
  async predict(branches: readonly OpenBranch[]): Promise<Map<string, SiblingConflict[]>> {
    const byRepo = new Map<string, OpenBranch[]>();
    for (const branch of branches) {
      if (branch.tip === null) continue;
      byRepo.set(branch.repoPath, [...(byRepo.get(branch.repoPath) ?? []), branch]);
    }
    if (this.pairs.size > MAX_CACHED_PAIRS) this.pairs.clear();
    const result = new Map<string, SiblingConflict[]>();
    const add = (taskId: string, conflict: SiblingConflict) => result.set(taskId, [...(result.get(taskId) ?? []), conflict]);
    for (const [repoPath, siblings] of byRepo) {
      // Read once per repo, not per pair: a `git config` call each.
      const drivers = repoDriverOverrides(repoPath);
      // One at a time: two cores are shared with the agents (~80 ms a pair at 5,000 files).
      for (let i = 0; i < siblings.length; i++) {
        for (let j = i + 1; j < siblings.length; j++) {
          const a = siblings[i] as OpenBranch;
          const b = siblings[j] as OpenBranch;
          if (a.tip === b.tip) continue;
          const files = await this.conflictsOf(repoPath, a.tip as string, b.tip as string, drivers);
          if (files.length === 0) continue;
          add(a.taskId, { taskId: b.taskId, files });
          add(b.taskId, { taskId: a.taskId, files });
        }
      }
    }
    return result;
  }

  /** The files merging the two commits would conflict in (cached per pair). */
  conflictsOf(repoPath: string, tipA: string, tipB: string, drivers?: Promise<ConfigOverrides>): Promise<string[]> {
    const key = tipA < tipB ? `${tipA} ${tipB}` : `${tipB} ${tipA}`;
    const known = this.pairs.get(key);
    if (known) return known;
    const computed = conflictingFiles(repoPath, tipA, tipB, drivers).catch((error: unknown) => {
      // Not cached: a repo that was briefly unreadable is asked again next time.
      this.pairs.delete(key);
      throw error;
    });
    this.pairs.set(key, computed);
    return computed;
  }
}

/** The files merging `tipA` and `tipB` would conflict in ([] when it merges cleanly or they share no history). */
export async function conflictingFiles(
  repoPath: string,
  tipA: string,
  tipB: string,
  drivers: Promise<ConfigOverrides> = repoDriverOverrides(repoPath),
): Promise<string[]> {
  const run = await runGit(repoPath, ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', tipA, tipB], {
    config: await drivers,
    isLowPriority: true,
  });
  if (run.exitCode !== 1) return [];
  const [, ...conflicted] = run.stdout.split('\0').filter((field) => field !== '');
  return [...new Set(conflicted)].sort();
}
