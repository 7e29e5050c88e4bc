import { afterAll, describe, expect, it } from 'vitest';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import { removeTempDirs, tempDir } from '../git/testRepos.js';
import { openDatabase } from './database.js';
import { DEFAULT_REPO_SETTINGS, RepoStore } from './repoStore.js';
import { TaskStore } from './taskStore.js';

afterAll(removeTempDirs);

describe('TaskStore: merge and review fields (migration 6)', () => {
  it('keeps a task’s pull request URL, archive time and rebase strategy; none until set', () => {
    const db = openDatabase(tempDir('tasks'));
    new RepoStore(db).insert({ id: 'r1', name: 'repo', path: '/repos/repo', defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
    const tasks = new TaskStore(db, () => 42);
    tasks.insert(taskRecord({ id: 't1', status: 'review' }));
    expect(tasks.get('t1')).toMatchObject({ prUrl: null, archivedAt: null, mergeStrategy: null });

    tasks.update('t1', { prUrl: 'https://github.com/acme/demo/pull/7', archivedAt: 1_700_000_000_000, mergeStrategy: 'rebase' });
    expect(tasks.get('t1')).toMatchObject({ prUrl: 'https://github.com/acme/demo/pull/7', archivedAt: 1_700_000_000_000, mergeStrategy: 'rebase' });
    tasks.update('t1', { archivedAt: null });
    expect(tasks.get('t1')?.archivedAt).toBeNull();
    db.close();
  });
});
