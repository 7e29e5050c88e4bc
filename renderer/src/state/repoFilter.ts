import type { Repo } from '../../../shared/model/task.js';

/** Repo ids the board shows; empty means every repo. */
export type RepoFilter = readonly string[];

export const ALL_REPOS: RepoFilter = Object.freeze([]);
export const REPO_FILTER_STORAGE_KEY = 'flotilla.repoFilter';

/** Anything that is not a JSON array of strings (an old format, a hand edit) means "all repos". */
export function parseRepoFilter(raw: string | null | undefined): RepoFilter {
  if (!raw) return ALL_REPOS;
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return ALL_REPOS;
    const ids = value.filter((v): v is string => typeof v === 'string' && v !== '');
    return ids.length === 0 ? ALL_REPOS : [...new Set(ids)];
  } catch {
    return ALL_REPOS;
  }
}

/** Storage can throw (disabled, quota): the filter is a preference, never an error. */
export function loadRepoFilter(storage: Pick<Storage, 'getItem'> | undefined): RepoFilter {
  try {
    return parseRepoFilter(storage?.getItem(REPO_FILTER_STORAGE_KEY));
  } catch {
    return ALL_REPOS;
  }
}

export function saveRepoFilter(storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined, filter: RepoFilter): void {
  try {
    if (filter.length === 0) storage?.removeItem(REPO_FILTER_STORAGE_KEY);
    else storage?.setItem(REPO_FILTER_STORAGE_KEY, JSON.stringify(filter));
  } catch {
    // Not persisted this time; the filter still applies to this window.
  }
}

/**
 * The repo ids to show, or null for all. Ids of repos that no longer exist are ignored, and
 * a filter left with none shows everything: a board that is empty because of a forgotten
 * filter on a removed repo would look like lost work.
 */
export function effectiveRepoIds(filter: RepoFilter, repos: readonly Repo[]): ReadonlySet<string> | null {
  if (filter.length === 0) return null;
  const known = new Set(repos.map((r) => r.id));
  const ids = filter.filter((id) => known.has(id));
  return ids.length === 0 ? null : new Set(ids);
}

/** Toggles one repo; choosing every repo one by one is the same as "all repos". */
export function toggleRepo(filter: RepoFilter, repoId: string, repos: readonly Repo[]): RepoFilter {
  const current = effectiveRepoIds(filter, repos);
  const chosen = new Set(current ?? []);
  if (chosen.has(repoId)) chosen.delete(repoId);
  else chosen.add(repoId);
  const ids = repos.map((r) => r.id).filter((id) => chosen.has(id));
  return ids.length === 0 || ids.length === repos.length ? ALL_REPOS : ids;
}

/** "All repos", "shop", "shop, api", "3 repos". */
export function describeRepoFilter(filter: RepoFilter, repos: readonly Repo[]): string {
  const ids = effectiveRepoIds(filter, repos);
  if (ids === null) return 'All repos';
  const names = repos.filter((r) => ids.has(r.id)).map((r) => r.name);
  return names.length <= 2 ? names.join(', ') : `${names.length} repos`;
}
