/**
 * An in-process async mutex per repository. Creating, removing and merging worktrees all
 * write the repo's shared metadata (config.lock, worktrees/, refs), and git fails rather
 * than waits when another git holds a lock; so the host runs those one at a time per repo.
 * Keyed by the common git dir, which every linked worktree of a repo shares.
 */
const tails = new Map<string, Promise<void>>();

export async function withRepoLock<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release = (): void => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => done);
  tails.set(key, tail);
  await previous;
  try {
    return await task();
  } finally {
    release();
    // Forget the key once nobody queued behind us, so the map does not grow per repo forever.
    if (tails.get(key) === tail) tails.delete(key);
  }
}
