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

describe('TaskStore: secrets never reach the tasks table', () => {
  it('redacts title, prompt, status reason and agent history; a title cut inside a token is cut from the redacted prompt', () => {
    const db = openDatabase(tempDir('tasks'));
    new RepoStore(db).insert({ id: 'r1', name: 'repo', path: '/repos/repo', defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
    const tasks = new TaskStore(db, () => 42);
    const token = `ghp_${'aB3dE5gH7jK9'.repeat(3)}`;
    // The title (first 60 chars) ends 20 chars into the token: too short there for the rule.
    const prompt = `deploy fails with this token, please rotate it: ${token} thanks`;
    tasks.insert(taskRecord({ id: 't1', status: 'review', prompt, title: `${prompt.slice(0, 60)}…` }));
    tasks.update('t1', { statusReason: `failed: ${token}` });
    tasks.saveAgentHistory('t1', [{ role: 'user', content: prompt }], 1);
    const task = tasks.get('t1');
    expect(task?.prompt).toBe('deploy fails with this token, please rotate it: ghp_**** thanks');
    expect(task?.title).toBe('deploy fails with this token, please rotate it: ghp_**** tha…');
    expect(task?.statusReason).toBe('failed: ghp_****');
    expect(JSON.stringify(tasks.agentHistory('t1').history)).toContain('ghp_****');
    const raw = (db.prepare('SELECT * FROM tasks').all() as Record<string, unknown>[]).map((row) => JSON.stringify(row)).join('');
    expect(raw).not.toContain(token.slice(4, 16));
    db.close();
  });
});

