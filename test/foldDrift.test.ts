import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../electron/core/host.js';
import type { Host } from '../electron/core/hostTypes.js';
import { readAllTaskEvents } from '../shared/contracts/taskEventPages.js';
import type { Task } from '../shared/model/task.js';
import type { TaskEvent } from '../shared/model/taskEvents.js';
import { foldTasks } from '../shared/model/taskFold.js';
import { createAppStore } from '../renderer/src/state/appStore.js';
import { selectTasksByColumn } from '../renderer/src/state/selectors.js';
import type { TaskStatus } from '../shared/model/taskLifecycle.js';
import { startModelServer, type ModelServer } from './fixtures/modelServer.js';
import { makeTempRepo, type TempRepo } from './fixtures/tempRepo.js';

/**
 * One fold (issue 12): every task the host shows equals the fold of its journal (shared/model/
 * taskFold.ts), read back through `tasks.events` like any client, after a whole flow through the
 * real host and the scripted model (an approval for the rest of the task, a follow-up, a merge,
 * a discard and a restore, a task left in Backlog), and again after a restart on the same
 * FLOTILLA_HOME. Every `tasks.onDidChange` broadcast equals the fold of the journal up to it, and
 * the renderer's replay store fed the journal shows the board the live store built from broadcasts.
 */

let model: ModelServer;
let home: string;
let env: NodeJS.ProcessEnv;
let host: Host;
let repo: TempRepo;
/** Each broadcast task with the journal's last seq when it was announced. */
const broadcasts: { task: Task; lastSeq: number }[] = [];
let lastSeq = 0;
/** The renderer's board as the live UI keeps it: every broadcast snapshot. */
const liveStore = createAppStore();

beforeAll(async () => {
  model = await startModelServer({
    scenarios: [
      {
        name: 'asks for network',
        match: 'fetch the fixtures',
        steps: [
          { type: 'shell', command: 'echo fetched > fixtures.txt', network: true, justification: 'download the fixtures' },
          { type: 'message', text: 'fetched them' },
          { type: 'shell', command: 'echo again >> fixtures.txt' },
          { type: 'message', text: 'added a line' },
        ],
      },
      { name: 'edits', match: 'write a note', steps: [{ type: 'shell', command: 'echo note > note.txt' }, { type: 'message', text: 'noted' }] },
    ],
  });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-fold-'));
  env = { ...process.env, FLOTILLA_HOME: home, OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'sk-test' };
  host = await startHost();
  repo = await makeTempRepo();
  const added = await host.handlers['repos.add']({ path: repo.path });
  if (!added.ok) throw new Error(added.message);
});

afterAll(async () => {
  await host?.dispose();
  await repo?.cleanup();
  await model?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

async function startHost(): Promise<Host> {
  const started = await createHost({ home, env });
  started.onEvent((name, payload) => {
    if (name === 'tasks.onDidAppendEvent') lastSeq = Math.max(lastSeq, (payload as { event: TaskEvent }).event.seq);
    if (name !== 'tasks.onDidChange') return;
    const { task } = payload as { task: Task };
    broadcasts.push({ task, lastSeq });
    liveStore.getState().receiveTask(task);
  });
  return started;
}

async function eventsOf(id: string): Promise<TaskEvent[]> {
  const read = await readAllTaskEvents((afterSeq) => host.handlers['tasks.events'](afterSeq === undefined ? { id } : { id, afterSeq }));
  if (!read.ok) throw new Error(read.message);
  return read.events;
}

/** Every task as `tasks.get` shows it, and as its journal folds. */
async function boardAndFold(): Promise<{ board: Record<string, Task>; folded: Record<string, Task> }> {
  const { tasks } = await host.handlers['tasks.list']({});
  const board: Record<string, Task> = {};
  const events: TaskEvent[] = [];
  for (const listed of tasks) {
    const got = await host.handlers['tasks.get']({ id: listed.id });
    if (!got.ok) throw new Error(got.message);
    board[listed.id] = got.task;
    events.push(...(await eventsOf(listed.id)));
  }
  return { board, folded: foldTasks(events.sort((a, b) => a.seq - b.seq)) };
}

function waitForStatus(id: string, ...statuses: TaskStatus[]): Promise<Task> {
  return new Promise<Task>((resolve, reject) => {
    const off = host.onEvent((name, payload) => {
      const { task } = payload as { task: Task };
      if (name === 'tasks.onDidChange' && task.id === id && statuses.includes(task.status)) done(task);
    });
    const done = (task: Task) => {
      off();
      resolve(task);
    };
    host.handlers['tasks.get']({ id }).then((got) => {
      if (got.ok && statuses.includes(got.task.status)) done(got.task);
    }, reject);
  });
}

async function created(prompt: string, start = true): Promise<Task> {
  const made = await host.handlers['tasks.create']({ repo: repo.path, prompt, start });
  if (!made.ok) throw new Error(made.message);
  return made.task;
}

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

describe('one fold: the journal folds to the board', () => {
  let boardBeforeRestart: Record<string, Task>;

  it('after an approval, a follow-up, a merge, a discard and restore, each task equals its journal’s fold', async () => {
    const fetching = await created('fetch the fixtures');
    const asking = await waitForStatus(fetching.id, 'needs_input', 'review', 'failed');
    expect(asking.status, asking.statusReason ?? '').toBe('needs_input');
    ok(await host.handlers['tasks.approve']({ id: fetching.id, scope: 'task' }));
    const reviewed = await waitForStatus(fetching.id, 'review', 'failed');
    expect(reviewed.status).toBe('review');
    expect(reviewed.grants.network).toBe(true);
    ok(await host.handlers['tasks.send']({ id: fetching.id, message: 'add another line' }));
    await waitForStatus(fetching.id, 'queued', 'running');
    expect((await waitForStatus(fetching.id, 'review', 'failed')).status).toBe('review');
    const merged = ok(await host.handlers['tasks.merge']({ id: fetching.id, strategy: 'squash', includeUncommitted: false, approveProtected: false }));
    expect(merged.task.status).toBe('merged');

    const noting = await created('write a note');
    expect((await waitForStatus(noting.id, 'review', 'failed')).status).toBe('review');
    expect(ok(await host.handlers['tasks.discard']({ id: noting.id })).task.archivedAt).toEqual(expect.any(Number));
    expect(ok(await host.handlers['tasks.restore']({ id: noting.id })).task.status).toBe('review');

    const waiting = await created('write a note, later', false);
    expect(waiting.status).toBe('backlog');

    const { board, folded } = await boardAndFold();
    expect(Object.keys(board)).toHaveLength(3);
    expect(folded).toEqual(board);
    boardBeforeRestart = board;
  });

  it('every tasks.onDidChange broadcast equals the fold of the journal up to that moment', async () => {
    expect(broadcasts.length).toBeGreaterThan(10);
    const events = (await Promise.all(Object.keys(boardBeforeRestart).map(eventsOf))).flat().sort((a, b) => a.seq - b.seq);
    for (const { task, lastSeq: upTo } of broadcasts) {
      expect(foldTasks(events.filter((e) => e.seq <= upTo))[task.id], `${task.id} as ${task.status}`).toEqual(task);
    }
    // The renderer's read-only replay store, fed the journal, shows the live store's board.
    const replayStore = createAppStore({ mode: 'replay' });
    replayStore.getState().applyTaskEvents(events);
    expect(replayStore.getState().tasks).toEqual(liveStore.getState().tasks);
    expect(selectTasksByColumn(replayStore.getState())).toEqual(selectTasksByColumn(liveStore.getState()));
  });

  it('a host restarted on the same FLOTILLA_HOME folds to the same board', async () => {
    await host.dispose();
    host = await startHost();
    const { board, folded } = await boardAndFold();
    expect(board).toEqual(boardBeforeRestart);
    expect(folded).toEqual(board);
  });
});
