import { describe, expect, it } from 'vitest';
import { makeRepo, makeTask } from '../testing/fixtures.js';
import { applyRepo, applyTaskChange, applyTaskList, NO_TASKS } from './tasksModel.js';

describe('applyTaskChange', () => {
  it('adds and replaces tasks without mutating the input', () => {
    const first = applyTaskChange(NO_TASKS, makeTask({ id: 'a' }));
    const second = applyTaskChange(first, makeTask({ id: 'a', status: 'review', updatedAt: 2_000 }));
    expect(first.a?.status).toBe('running');
    expect(second.a?.status).toBe('review');
    expect(second).not.toBe(first);
  });

  it('ignores an older copy and returns the same object', () => {
    const tasks = applyTaskChange(NO_TASKS, makeTask({ id: 'a', status: 'review', updatedAt: 5_000 }));
    expect(applyTaskChange(tasks, makeTask({ id: 'a', status: 'running', updatedAt: 4_000 }))).toBe(tasks);
  });

  it('takes an equally new copy (same ms, later event)', () => {
    const tasks = applyTaskChange(NO_TASKS, makeTask({ id: 'a', status: 'running', updatedAt: 5_000 }));
    expect(applyTaskChange(tasks, makeTask({ id: 'a', status: 'review', updatedAt: 5_000 })).a?.status).toBe('review');
  });
});

describe('applyTaskList', () => {
  it('keeps newer live copies and tasks the reply does not know yet', () => {
    let tasks = applyTaskChange(NO_TASKS, makeTask({ id: 'a', status: 'review', updatedAt: 9_000 }));
    tasks = applyTaskChange(tasks, makeTask({ id: 'fresh', updatedAt: 9_500 }));
    const next = applyTaskList(tasks, [
      makeTask({ id: 'a', status: 'running', updatedAt: 8_000 }),
      makeTask({ id: 'b', status: 'backlog' }),
    ]);
    expect(Object.keys(next).sort()).toEqual(['a', 'b', 'fresh']);
    expect(next.a?.status).toBe('review');
    expect(next.b?.status).toBe('backlog');
  });
});

describe('applyRepo', () => {
  it('appends new repos and replaces known ones in place', () => {
    const repos = [makeRepo({ id: 'r1' }), makeRepo({ id: 'r2' })];
    expect(applyRepo(repos, makeRepo({ id: 'r3' })).map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    const renamed = applyRepo(repos, makeRepo({ id: 'r1', name: 'renamed' }));
    expect(renamed.map((r) => r.name)).toEqual(['renamed', 'repo']);
    expect(repos[0]?.name).toBe('repo');
  });
});
