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
let repos: RepoStore;
let journal: Journal;
let transitions: TaskTransitions;
/** The host environment the runner sees; a test may point FLOTILLA_BWRAP somewhere before a turn. */
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  home = tempDir('home');
  repoPath = makeRepo();
  db = openDatabase(home);
  tasks = new TaskStore(db);
  repos = new RepoStore(db);
  repos.insert({ id: 'r1', name: 'repo', path: repoPath, defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
  journal = new Journal(db);
  env = {};
  transitions = new TaskTransitions({ tasks, journal, events: new HostEventBus() });
  turns = [];
  settings = { model: 'm', baseURL: null, commandTimeoutMs: 10_000, maxRunning: 2 };
  runner = new TaskRunner({
    tasks,
    repos,
    journal,
    transitions,
    home,
    settings: () => settings,
    env,
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

function transitionsCreate(transitions: TaskTransitions, id: string, policy: Partial<Task['policy']> = {}): void {
  const record = taskRecord({ id, repoPath, branch: '', baseCommit: '', worktreePath: path.join(home, 'worktrees', id) });
  transitions.created({ ...record, policy: { ...record.policy, ...policy } });
}

async function worktreeFor(id: string): Promise<Task> {
  const task = tasks.get(id) as Task;
  const created = await createTaskWorktree({ repoPath, worktreePath: task.worktreePath, slug: id, baseBranch: 'main' });
  if (!created.ok) throw new Error(created.message);
  return task;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
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

/** The journal of the task's setup script: its output, and how it finished. */
function setupRecord(taskId: string): { output: string; finished: { exitCode: number | null; isKilled: boolean } | null } {
  let output = '';
  let finished: { exitCode: number | null; isKilled: boolean } | null = null;
  for (const { body } of journal.eventsOf(taskId)) {
    if (body.kind === 'command_output' && body.callId === 'setup') output += body.chunk;
    if (body.kind === 'command_finished' && body.callId === 'setup') finished = { exitCode: body.exitCode, isKilled: body.isKilled };
  }
  return { output, finished };
}

/** 20 s: a sandboxed script starts bwrap (and, the first time, probes it). */
const SCRIPT_MS = 20_000;

describe('TaskRunner: the repo\'s setup script, in the task\'s sandbox', () => {
  it('runs before the agent with the worktree writable even for a read-only task, and the task\'s HOME', async () => {
    repos.configure('r1', { ...DEFAULT_REPO_SETTINGS, setupScript: 'echo installed > setup.txt; echo "home=$HOME"' });
    transitionsCreate(transitions, 'ro', { mode: 'read-only' });
    const task = await worktreeFor('ro');
    runner.enqueue(task, 'go');
    await until(() => turns.length === 1, SCRIPT_MS);
    expect(fs.readFileSync(path.join(task.worktreePath, 'setup.txt'), 'utf8')).toBe('installed\n');
    expect(setupRecord('ro')).toEqual({ output: `home=${path.join(home, 'task-homes', 'ro')}\n`, finished: { exitCode: 0, isKilled: false } });
    // The agent's own commands keep the task's policy.
    expect(turns[0]?.config.sandbox.mode).toBe('read-only');
  });

  it('fails the task when the script fails, and says scripts have no network unless the repo allows it', async () => {
    repos.configure('r1', { ...DEFAULT_REPO_SETTINGS, setupScript: 'echo cannot fetch >&2; exit 3' });
    runner.enqueue(await worktreeFor('t0'), 'go');
    await until(() => tasks.get('t0')?.status === 'failed', SCRIPT_MS);
    expect(tasks.get('t0')?.statusReason).toMatch(/setup script failed; see its output in the task\. .*without network unless the repo allows it/);
    expect(setupRecord('t0')).toEqual({ output: 'cannot fetch\n', finished: { exitCode: 3, isKilled: false } });
    expect(turns).toHaveLength(0);

    // With network allowed, the hint would mislead: it is left out.
    repos.configure('r1', { ...DEFAULT_REPO_SETTINGS, setupScript: 'exit 3', scriptNetwork: true });
    runner.enqueue(await worktreeFor('t1'), 'go');
    await until(() => tasks.get('t1')?.status === 'failed', SCRIPT_MS);
    expect(tasks.get('t1')?.statusReason).toBe("the repo's setup script failed; see its output in the task");
  });

  it('needs the user when the sandbox cannot start, and runs nothing: neither the script nor the agent', async () => {
    env.FLOTILLA_BWRAP = '/nonexistent/bwrap';
    repos.configure('r1', { ...DEFAULT_REPO_SETTINGS, setupScript: 'touch ran.txt' });
    const task = await worktreeFor('t0');
    runner.enqueue(task, 'go');
    await until(() => tasks.get('t0')?.status === 'needs_input', SCRIPT_MS);
    expect(tasks.get('t0')?.statusReason).toMatch(/^the repo's setup script did not run: sandbox unavailable: /);
    expect(fs.existsSync(path.join(task.worktreePath, 'ran.txt'))).toBe(false);
    expect(setupRecord('t0').finished).toEqual({ exitCode: null, isKilled: false });
    expect(setupRecord('t0').output).toMatch(/^sandbox unavailable: /);
    expect(turns).toHaveLength(0);
  });

  it('runs a full-access task\'s script without a sandbox, as its commands run', async () => {
    env.FLOTILLA_BWRAP = '/nonexistent/bwrap';
    repos.configure('r1', { ...DEFAULT_REPO_SETTINGS, setupScript: 'touch ran.txt' });
    transitionsCreate(transitions, 'full', { mode: 'full-access' });
    const task = await worktreeFor('full');
    runner.enqueue(task, 'go');
    await until(() => turns.length === 1, SCRIPT_MS);
    expect(fs.existsSync(path.join(task.worktreePath, 'ran.txt'))).toBe(true);
  });

  it('stops a running script with the task, and kills one past the task\'s command time limit', async () => {
    repos.configure('r1', { ...DEFAULT_REPO_SETTINGS, setupScript: 'echo started; sleep 30' });
    runner.enqueue(await worktreeFor('t0'), 'go');
    await until(() => setupRecord('t0').output === 'started\n', SCRIPT_MS);
    await runner.stop('t0');
    expect(tasks.get('t0')?.status).toBe('stopped');
    expect(setupRecord('t0').finished).toEqual({ exitCode: null, isKilled: true });

    transitionsCreate(transitions, 'slow', { commandTimeoutMs: 500 });
    runner.enqueue(await worktreeFor('slow'), 'go');
    await until(() => tasks.get('slow')?.status === 'failed', SCRIPT_MS);
    expect(setupRecord('slow').finished).toEqual({ exitCode: null, isKilled: true });
    expect(turns).toHaveLength(0);
  });
});
