import { describe, expect, it } from 'vitest';
import { createAppStore } from '../state/appStore.js';
import { createFakeClient } from '../testing/fakeClient.js';
import { makeRepo, makeTask } from '../testing/fixtures.js';
import { followOpenedRepos } from './followOpenedRepos.js';
import { runAppAction, type AppActionView } from './runAppAction.js';

function fakeView(hasTaskView = true): AppActionView & { revealed: string[]; toggles: number } {
  const view = {
    revealed: [] as string[],
    toggles: 0,
    revealCard: (taskId: string) => view.revealed.push(taskId),
    toggleTerminal: () => {
      view.toggles++;
      return hasTaskView;
    },
  };
  return view;
}

/** A board of three columns' worth of tasks: Backlog b1, In progress r1, Review v1 (reading order). */
function boardStore() {
  const store = createAppStore();
  store.getState().receiveRepos([makeRepo({ id: 'repo-a' }), makeRepo({ id: 'repo-b' })]);
  store.getState().receiveTaskList([
    makeTask({ id: 'v1', status: 'review', repoId: 'repo-a' }),
    makeTask({ id: 'b1', status: 'backlog', repoId: 'repo-a' }),
    makeTask({ id: 'r1', status: 'running', repoId: 'repo-b' }),
  ]);
  return store;
}

describe('app actions (the shortcuts and the desktop menu alike)', () => {
  it('toggle the palette, and open New task and Settings in its place', () => {
    const store = createAppStore();
    const view = fakeView();
    runAppAction(store, { kind: 'commandPalette' }, view);
    expect(store.getState().dialog).toBe('palette');
    runAppAction(store, { kind: 'commandPalette' }, view);
    expect(store.getState().dialog).toBeNull();
    runAppAction(store, { kind: 'commandPalette' }, view);
    runAppAction(store, { kind: 'settings' }, view);
    expect(store.getState().dialog).toBe('settings');
  });

  it('do nothing while another dialog is open, so a half-written prompt is never lost', () => {
    const store = boardStore();
    store.getState().openDialog('newTask');
    for (const kind of ['commandPalette', 'settings', 'nextTask', 'toggleTerminal'] as const) runAppAction(store, { kind }, fakeView());
    expect(store.getState().dialog).toBe('newTask');
    expect(store.getState().selectedTaskId).toBeNull();
    store.getState().closeDialog();
    store.getState().openTaskDialog({ kind: 'finish', taskId: 'v1' });
    runAppAction(store, { kind: 'newTask' }, fakeView());
    expect(store.getState().dialog).toBeNull();
  });

  it('step through the tasks in the board’s reading order, wrapping around, and bring the card into view', () => {
    const store = boardStore();
    const view = fakeView();
    const next = () => {
      runAppAction(store, { kind: 'nextTask' }, view);
      return store.getState().selectedTaskId;
    };
    expect([next(), next(), next(), next()]).toEqual(['b1', 'r1', 'v1', 'b1']);
    runAppAction(store, { kind: 'previousTask' }, view);
    expect(store.getState().selectedTaskId).toBe('v1');
    expect(view.revealed).toEqual(['b1', 'r1', 'v1', 'b1', 'v1']);
  });

  it('step only through the repos the board shows', () => {
    const store = boardStore();
    store.getState().setRepoFilter(['repo-a']);
    runAppAction(store, { kind: 'previousTask' }, fakeView());
    expect(store.getState().selectedTaskId).toBe('v1');
    runAppAction(store, { kind: 'previousTask' }, fakeView());
    expect(store.getState().selectedTaskId).toBe('b1');
  });

  it('open the task a notification was about, if the board still has it', () => {
    const store = boardStore();
    store.getState().openDialog('palette');
    runAppAction(store, { kind: 'openTask', taskId: 'r1' }, fakeView());
    expect(store.getState().selectedTaskId).toBe('r1');
    expect(store.getState().dialog).toBeNull();
    runAppAction(store, { kind: 'openTask', taskId: 'gone' }, fakeView());
    expect(store.getState().selectedTaskId).toBe('r1');
  });

  it('toggle the terminal of the open task, or say a task must be open first', () => {
    const store = boardStore();
    const view = fakeView();
    runAppAction(store, { kind: 'toggleTerminal' }, view);
    expect(view.toggles).toBe(1);
    expect(store.getState().toast).toBeNull();
    runAppAction(store, { kind: 'toggleTerminal' }, fakeView(false));
    expect(store.getState().toast?.text).toBe('Open a task first: each terminal belongs to a task');
  });
});

describe('a repo opened from outside (flotilla open PATH)', () => {
  it('narrows the board to that repo and says so', () => {
    const store = boardStore();
    const fake = createFakeClient({});
    followOpenedRepos(fake.client, store);
    const repo = makeRepo({ id: 'repo-c', name: 'shop' });
    fake.emit('repos.onDidOpen', { repo });
    expect(store.getState().repoFilter).toEqual(['repo-c']);
    expect(store.getState().repos.map((r) => r.id)).toContain('repo-c');
    expect(store.getState().toast?.text).toBe('Showing shop');
  });
});
