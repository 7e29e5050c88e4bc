import { describe, expect, it } from 'vitest';
import { makeRepo, makeTask } from '../testing/fixtures.js';
import { createAppStore } from './appStore.js';
import { ALL_REPOS, describeRepoFilter, effectiveRepoIds, loadRepoFilter, parseRepoFilter, saveRepoFilter, toggleRepo } from './repoFilter.js';
import { selectVisibleTasksByColumn } from './selectors.js';

const repos = [makeRepo({ id: 'r1', name: 'shop' }), makeRepo({ id: 'r2', name: 'api' }), makeRepo({ id: 'r3', name: 'docs' })];

describe('repo filter', () => {
  it('parses what it saved, and treats anything odd as all repos', () => {
    const stored = new Map<string, string>();
    const storage = {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
      removeItem: (k: string) => void stored.delete(k),
    };
    saveRepoFilter(storage, ['r1', 'r2']);
    expect(loadRepoFilter(storage)).toEqual(['r1', 'r2']);
    saveRepoFilter(storage, ALL_REPOS);
    expect(stored.size).toBe(0);
    for (const raw of [null, '', '{', '"r1"', '{"a":1}', '[1,2]', '[]']) expect(parseRepoFilter(raw)).toEqual([]);
    expect(parseRepoFilter('["r1","r1",3]')).toEqual(['r1']);
    expect(loadRepoFilter({ getItem: () => { throw new Error('denied'); } })).toEqual([]);
  });

  it('ignores removed repos, and shows all when none of the chosen are left', () => {
    expect(effectiveRepoIds(['r2', 'gone'], repos)).toEqual(new Set(['r2']));
    expect(effectiveRepoIds(['gone'], repos)).toBeNull();
    expect(effectiveRepoIds([], repos)).toBeNull();
  });

  it('toggles repos, folding "every repo" back into all', () => {
    let filter = toggleRepo(ALL_REPOS, 'r1', repos);
    expect(filter).toEqual(['r1']);
    filter = toggleRepo(filter, 'r3', repos);
    expect(filter).toEqual(['r1', 'r3']);
    expect(describeRepoFilter(filter, repos)).toBe('shop, docs');
    expect(toggleRepo(filter, 'r2', repos)).toEqual([]);
    expect(toggleRepo(['r1'], 'r1', repos)).toEqual([]);
    expect(describeRepoFilter([], repos)).toBe('All repos');
    expect(describeRepoFilter(['r1', 'r2'], [...repos, makeRepo({ id: 'r4' })])).toBe('shop, api');
    expect(describeRepoFilter(['r1', 'r2', 'r3'], [...repos, makeRepo({ id: 'r4' })])).toBe('3 repos');
  });

  it('filters the board, and regroups only when tasks or the filter change', () => {
    const store = createAppStore();
    store.getState().receiveRepos(repos);
    store.getState().receiveTaskList([
      makeTask({ id: 'a', repoId: 'r1', status: 'running' }),
      makeTask({ id: 'b', repoId: 'r2', status: 'running' }),
      makeTask({ id: 'c', repoId: 'r3', status: 'review' }),
    ]);
    const all = selectVisibleTasksByColumn(store.getState());
    expect(all.in_progress.map((t) => t.id).sort()).toEqual(['a', 'b']);
    expect(selectVisibleTasksByColumn(store.getState())).toBe(all);
    store.getState().setRepoFilter(['r2', 'r3']);
    const some = selectVisibleTasksByColumn(store.getState());
    expect(some.in_progress.map((t) => t.id)).toEqual(['b']);
    expect(some.review.map((t) => t.id)).toEqual(['c']);
    store.getState().openTask('a');
    expect(selectVisibleTasksByColumn(store.getState())).toBe(some);
  });
});
