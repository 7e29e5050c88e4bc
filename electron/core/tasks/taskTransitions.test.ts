import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../../shared/model/task.js';
import { taskRecord } from '../../../test/fixtures/taskRecords.js';
import { HostEventBus } from '../hostEvents.js';
import { Journal } from '../journal/journal.js';
import { openDatabase, type Db } from '../store/database.js';
import { DEFAULT_REPO_SETTINGS, RepoStore } from '../store/repoStore.js';
import { TaskStore } from '../store/taskStore.js';
import { TaskTransitions } from './taskTransitions.js';
import { foldTask } from '../../../shared/model/taskFold.js';

let home: string;
let db: Db;
let journal: Journal;
let tasks: TaskStore;
let events: HostEventBus;
let transitions: TaskTransitions;

const sampleTask = (): Task =>
  taskRecord({
    id: 'abc123',
    title: 'Fix the login',
    prompt: 'Fix the login bug',
    repoName: 'demo',
    repoPath: '/repos/demo',
    branch: 'flotilla/fix-the-login',
    worktreePath: '/home/wt/fix-the-login',
  });

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-store-'));
  db = openDatabase(home);
  journal = new Journal(db);
  tasks = new TaskStore(db);
  events = new HostEventBus();
  transitions = new TaskTransitions({ tasks, journal, events });
  new RepoStore(db).insert({ id: 'r1', name: 'demo', path: '/repos/demo', defaultBranch: 'main', addedAt: 1, settings: DEFAULT_REPO_SETTINGS });
});

afterEach(() => {
  db.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('task transitions', () => {
  it('journals each change before announcing it', () => {
    const seen: string[] = [];
    events.on((name, payload) => {
      // When a listener hears of a change, the journal already holds it.
      if (name === 'tasks.onDidAppendEvent') {
        const { event } = payload as { event: { seq: number; taskId: string } };
        expect(journal.eventsOf(event.taskId).some((e) => e.seq === event.seq)).toBe(true);
      }
      seen.push(name);
    });
    transitions.created(sampleTask());
    const running = transitions.move('abc123', 'queued');
    expect(running.status).toBe('queued');
    expect(seen).toEqual(['tasks.onDidAppendEvent', 'tasks.onDidChange', 'tasks.onDidAppendEvent', 'tasks.onDidChange']);
    expect(journal.eventsOf('abc123').map((e) => e.body.kind)).toEqual(['task_created', 'status_changed']);
  });

  it('refuses a transition the lifecycle forbids and changes nothing', () => {
    transitions.created(sampleTask());
    expect(() => transitions.move('abc123', 'merged')).toThrow(/not an allowed transition/);
    expect(tasks.get('abc123')?.status).toBe('backlog');
    expect(journal.eventsOf('abc123')).toHaveLength(1);
  });

  it('keeps the reason on the task and in the journal', () => {
    transitions.created(sampleTask());
    transitions.move('abc123', 'queued');
    transitions.move('abc123', 'running');
    const failed = transitions.move('abc123', 'failed', 'model API unreachable');
    expect(failed.statusReason).toBe('model API unreachable');
    const last = journal.eventsOf('abc123').at(-1);
    expect(last?.body).toEqual({ kind: 'status_changed', from: 'running', to: 'failed', reason: 'model API unreachable' });
  });

  it('journals what changed beside the status before announcing it, so the journal folds to every announced task', () => {
    const announced: Task[] = [];
    events.on((name, payload) => {
      if (name === 'tasks.onDidChange') announced.push((payload as { task: Task }).task);
    });
    transitions.created(sampleTask());
    transitions.move('abc123', 'queued');
    transitions.move('abc123', 'running');
    // Usage lands beside the store (the turn's end), then the move to Review carries it.
    tasks.addUsage('abc123', { inputTokens: 120, outputTokens: 7 });
    const reviewed = transitions.move('abc123', 'review');
    expect(reviewed.usage).toEqual({ inputTokens: 120, outputTokens: 7 });
    const opened = transitions.update('abc123', { prUrl: 'https://example.com/pr/1' });
    expect(journal.eventsOf('abc123').map((e) => e.body.kind)).toEqual([
      'task_created', 'status_changed', 'status_changed', 'status_changed', 'task_updated', 'task_updated',
    ]);
    expect(journal.eventsOf('abc123').at(-2)?.body).toEqual({ kind: 'task_updated', patch: { usage: { inputTokens: 120, outputTokens: 7 } } });
    expect(announced.at(-1)).toEqual(opened);
    expect(foldTask(journal.eventsOf('abc123'))).toEqual(tasks.get('abc123'));
  });

  it('sync journals and announces a change made beside it, and stays quiet when nothing changed', () => {
    transitions.created(sampleTask());
    const seen: string[] = [];
    events.on((name) => seen.push(name));
    expect(transitions.sync('abc123')).toEqual(tasks.get('abc123'));
    expect(seen).toEqual([]);
    tasks.update('abc123', { archivedAt: 42 });
    // A new TaskTransitions (a restarted host) folds the journal first.
    const restarted = new TaskTransitions({ tasks, journal, events });
    expect(restarted.sync('abc123')?.archivedAt).toBe(42);
    expect(seen).toEqual(['tasks.onDidAppendEvent', 'tasks.onDidChange']);
    expect(foldTask(journal.eventsOf('abc123'))).toEqual(tasks.get('abc123'));
    expect(restarted.sync('nope')).toBeUndefined();
  });

  it('survives a reopen of the database (migrations run once)', () => {
    transitions.created(sampleTask());
    db.close();
    db = openDatabase(home);
    expect(new TaskStore(db).get('abc123')?.title).toBe('Fix the login');
    expect(new Journal(db).eventsOf('abc123')).toHaveLength(1);
  });
});
