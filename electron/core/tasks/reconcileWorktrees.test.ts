import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../../shared/model/taskLifecycle.js';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import { git, makeRepo, removeTempDirs, tempDir } from '../git/testRepos.js';
import { createTaskWorktree } from '../git/worktrees.js';
import { HostEventBus } from '../hostEvents.js';
import { Journal } from '../journal/journal.js';
import { openDatabase, type Db } from '../store/database.js';
import { DEFAULT_REPO_SETTINGS, RepoStore } from '../store/repoStore.js';
import { TaskStore } from '../store/taskStore.js';
import { reconcileWorktrees } from './reconcileWorktrees.js';
import { TaskTransitions } from './taskTransitions.js';

let db: Db;
let home: string;
let repoPath: string;
let tasks: TaskStore;
let repos: RepoStore;
let transitions: TaskTransitions;

beforeEach(() => {
  home = tempDir('home ü');
  repoPath = makeRepo();
  db = openDatabase(home);
  tasks = new TaskStore(db);
  repos = new RepoStore(db);
  repos.insert({ id: 'r1', name: 'repo', path: repoPath, defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
  transitions = new TaskTransitions({ tasks, journal: new Journal(db), events: new HostEventBus() });
});

afterEach(() => db.close());
afterAll(removeTempDirs);

/** A task with a real worktree and branch, left in `status` (as a host that stopped would leave it). */
async function taskIn(id: string, status: TaskStatus): Promise<{ worktreePath: string; branch: string }> {
  const worktreePath = path.join(home, 'worktrees', 'r1', id);
  const created = await createTaskWorktree({ repoPath, worktreePath, slug: id, baseBranch: 'main' });
  if (!created.ok) throw new Error(created.message);
  transitions.created(taskRecord({ id, repoPath, branch: created.branch, baseCommit: created.baseCommit, worktreePath }));
  for (const step of ['queued', 'running', status] as const) if (tasks.get(id)?.status !== step) transitions.move(id, step);
  return { worktreePath, branch: created.branch };
}

const reconcile = () => reconcileWorktrees({ home, repos, tasks, transitions });

describe('reconcileWorktrees', () => {
  it('recreates a deleted worktree folder from its branch', async () => {
    const { worktreePath } = await taskIn('t1', 'interrupted');
    fs.rmSync(worktreePath, { recursive: true, force: true });
    const report = await reconcile();
    expect(report.restored).toEqual([worktreePath]);
    expect(fs.existsSync(path.join(worktreePath, 'README.md'))).toBe(true);
    expect(tasks.get('t1')?.status).toBe('interrupted');
  });

  it('leaves a task whose repo was deleted as it is, files included (resuming it says why it cannot run)', async () => {
    const { worktreePath } = await taskIn('t1', 'interrupted');
    fs.writeFileSync(path.join(worktreePath, 'work.txt'), 'work\n');
    fs.rmSync(repoPath, { recursive: true, force: true });
    expect(await reconcile()).toEqual({ restored: [], unknown: [] });
    expect(tasks.get('t1')?.status).toBe('interrupted');
    expect(fs.readFileSync(path.join(worktreePath, 'work.txt'), 'utf8')).toBe('work\n');
  });

  it('leaves tasks of a repo that is still there alone', async () => {
    const { branch } = await taskIn('t1', 'review');
    await reconcile();
    expect(tasks.get('t1')?.status).toBe('review');
    expect(git(repoPath, 'branch', '--list', branch).trim()).toContain(branch);
  });
});
