import { describe, expect, it } from 'vitest';
import { makeTask } from '../../testing/fixtures.js';
import { paletteItems, searchPalette } from './paletteSearch.js';

const tasks = [
  makeTask({ id: 'k3x9', title: 'Fix the login redirect', repoName: 'shop', branch: 'flotilla/fix-login', updatedAt: 3 }),
  makeTask({ id: 'p2aa', title: 'Add settings page', repoName: 'admin', branch: 'flotilla/settings-page', updatedAt: 5 }),
  makeTask({ id: 'q7bb', title: 'Speed up tests', repoName: 'shop', branch: 'flotilla/fast-tests', updatedAt: 9 }),
];
const items = paletteItems(tasks);
const labels = (query: string) => searchPalette(items, query).map((i) => i.label);

describe('searchPalette', () => {
  it('lists commands, then recently changed tasks, for an empty query', () => {
    expect(labels('')).toEqual(['New task', 'Add repo', 'Settings', 'Replays', 'Speed up tests', 'Add settings page', 'Fix the login redirect']);
  });

  it('finds tasks by title, repo, branch or id, every word anywhere', () => {
    expect(labels('login')).toEqual(['Fix the login redirect']);
    expect(labels('shop')).toEqual(['Speed up tests', 'Fix the login redirect']);
    expect(labels('fast-tests')).toEqual(['Speed up tests']);
    expect(labels('P2A')).toEqual(['Add settings page']);
    expect(labels('shop redirect')).toEqual(['Fix the login redirect']);
    expect(labels('nothing like this')).toEqual([]);
  });

  it('ranks a title that starts with the query first, commands before tasks at equal rank', () => {
    expect(labels('add')).toEqual(['Add repo', 'Add settings page']);
    expect(labels('settings')).toEqual(['Settings', 'Add settings page']);
  });

  it('caps the list', () => {
    const many = paletteItems(Array.from({ length: 200 }, (_, i) => makeTask({ id: `t${i}`, title: `Task number ${i}` })));
    expect(searchPalette(many, 'task number')).toHaveLength(50);
  });
});
