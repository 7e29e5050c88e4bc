import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../../shared/model/task.js';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import type { AgentTurnHandle, TurnOutcome } from '../agent/agentRunner.js';
import type { WorkerStartConfig } from '../agent/workerProtocol.js';
import { makeRepo, removeTempDirs, tempDir } from '../git/testRepos.js';
import { createTaskWorktree } from '../git/worktrees.js';
import { HostEventBus } from '../hostEvents.js';
import { Journal } from '../journal/journal.js';
import { openDatabase, type Db } from '../store/database.js';
import { DEFAULT_REPO_SETTINGS, RepoStore } from '../store/repoStore.js';
import { TaskStore } from '../store/taskStore.js';
import { TaskRunner, type AgentSettings } from './taskRunner.js';
import { TaskTransitions } from './taskTransitions.js';

/** A turn the test ends by hand, standing in for an agent worker. */
interface FakeTurn {
  config: WorkerStartConfig;
  end(outcome: TurnOutcome): void;
  wasStopped: boolean;
}

let db: Db;
let home: string;
let repoPath: string;
let turns: FakeTurn[];
let settings: AgentSettings;
let runner: TaskRunner;
let tasks: TaskStore;

beforeEach(() => {
  home = tempDir('home');
  repoPath = makeRepo();
  db = openDatabase(home);
  tasks = new TaskStore(db);
  const repos = new RepoStore(db);
  repos.insert({ id: 'r1', name: 'repo', path: repoPath, defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
  const journal = new Journal(db);
  const transitions = new TaskTransitions({ tasks, journal, events: new HostEventBus() });
  turns = [];
  settings = { model: 'm', baseURL: null, commandTimeoutMs: 10_000, maxRunning: 2 };
  runner = new TaskRunner({
    tasks,
    repos,
    journal,
    transitions,
    home,
    settings: () => settings,
    env: {},
    startTurn: ({ config }) => {
      let end!: (outcome: TurnOutcome) => void;
      const done = new Promise<TurnOutcome>((resolve) => (end = resolve));
      const turn: FakeTurn = { config, end, wasStopped: false };
      turns.push(turn);
      const handle: AgentTurnHandle = {
        done,
        pid: undefined,
        decide: () => {},
        stop: () => {
          turn.wasStopped = true;
          end({ kind: 'stopped' });
        },
      };
      return handle;
    },
  });
  for (let i = 0; i < 5; i++) transitionsCreate(transitions, `t${i}`);
});

afterEach(async () => {
  await runner.dispose();
  db.close();
});
afterAll(removeTempDirs);

function transitionsCreate(transitions: TaskTransitions, id: string): void {
  transitions.created(taskRecord({ id, repoPath, branch: '', baseCommit: '', worktreePath: path.join(home, 'worktrees', id) }));
}

async function worktreeFor(id: string): Promise<Task> {
  const task = tasks.get(id) as Task;
  const created = await createTaskWorktree({ repoPath, worktreePath: task.worktreePath, slug: id, baseBranch: 'main' });
  if (!created.ok) throw new Error(created.message);
  return task;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const done: TurnOutcome = { kind: 'done', history: [], usage: { inputTokens: 10, outputTokens: 5 } };

describe('TaskRunner', () => {
  it('never runs more than maxRunning at once, and starts the queue oldest first', async () => {
    const all = await Promise.all(['t0', 't1', 't2', 't3', 't4'].map(worktreeFor));
    for (const task of all) runner.enqueue(task, task.prompt);
    await until(() => turns.length === 2);
    // Give any over-eager scheduling a chance to show itself.
    await new Promise((r) => setTimeout(r, 100));
    // The two oldest hold the slots (their workers may start in either order).
    expect(turns.map((t) => t.config.taskId).sort()).toEqual(['t0', 't1']);
    expect(tasks.get('t2')?.status).toBe('queued');

    const first = turns[0] as FakeTurn;
    first.end(done);
    await until(() => turns.length === 3);
    expect(turns[2]?.config.taskId).toBe('t2');
    expect(tasks.get(first.config.taskId)?.status).toBe('review');
    expect(tasks.get(first.config.taskId)?.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
    expect(runner.runningCount).toBe(2);
  });

  it('starts more as soon as the limit is raised', async () => {
    const all = await Promise.all(['t0', 't1', 't2'].map(worktreeFor));
    for (const task of all) runner.enqueue(task, task.prompt);
    await until(() => turns.length === 2);
    settings = { ...settings, maxRunning: 3 };
    runner.reschedule();
    await until(() => turns.length === 3);
  });

  it('stops a running turn and a queued one; both end as stopped', async () => {
    settings = { ...settings, maxRunning: 1 };
    const [a, b] = await Promise.all(['t0', 't1'].map(worktreeFor));
    runner.enqueue(a as Task, 'go');
    runner.enqueue(b as Task, 'go');
    await until(() => turns.length === 1);
    await runner.stop('t1');
    expect(tasks.get('t1')?.status).toBe('stopped');
    await runner.stop('t0');
    expect(turns[0]?.wasStopped).toBe(true);
    expect(tasks.get('t0')?.status).toBe('stopped');
    expect(turns).toHaveLength(1);
  });

  it('marks running tasks interrupted when the host shuts down', async () => {
    const task = await worktreeFor('t0');
    runner.enqueue(task, 'go');
    await until(() => turns.length === 1);
    await runner.dispose();
    expect(tasks.get('t0')?.status).toBe('interrupted');
  });

  it('fails the task, not the runner, when its worktree is gone', async () => {
    const task = tasks.get('t3') as Task;
    expect(fs.existsSync(task.worktreePath)).toBe(false);
    runner.enqueue(task, 'go');
    await until(() => tasks.get('t3')?.status === 'failed');
    expect(tasks.get('t3')?.statusReason).toMatch(/worktree .* is missing/);
    expect(runner.runningCount).toBe(0);
  });
});
