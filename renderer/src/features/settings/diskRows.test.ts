import { describe, expect, it } from 'vitest';
import { TASK_STATUSES } from '../../../../shared/model/taskLifecycle.js';
import { makeTask } from '../../testing/fixtures.js';
import {
  cleanupPlan,
  describeUncommitted,
  diskRows,
  focusAfterRemoval,
  folderName,
  formatBytes,
  removalOf,
  splitPathForEllipsis,
  totalBytes,
  type WorktreeEntry,
} from './diskRows.js';

const entry = (overrides: Partial<WorktreeEntry> & Pick<WorktreeEntry, 'path'>): WorktreeEntry => ({
  bytes: 0,
  taskId: null,
  taskStatus: null,
  taskTitle: null,
  repoName: 'shop',
  uncommitted: { count: 0, paths: [], error: null },
  ...overrides,
});

describe('which worktrees the Disk table may remove', () => {
  it('removes finished tasks’ and ownerless folders, keeps any a task may still use, with a reason', () => {
    expect(removalOf(null)).toEqual({ kind: 'removable' });
    const removable = TASK_STATUSES.filter((status) => removalOf(status).kind === 'removable');
    expect(removable).toEqual(['merged', 'discarded']);
    for (const status of ['running', 'needs_input', 'review', 'failed', 'stopped', 'interrupted', 'queued', 'backlog'] as const) {
      const removal = removalOf(status);
      expect(removal.kind === 'kept' && removal.reason.length > 0).toBe(true);
    }
    expect(removalOf('review')).toEqual({ kind: 'kept', reason: 'Merge or discard first' });
  });
});

describe('disk rows', () => {
  it('sorts largest first, ties by path, and takes the board’s live status and title', () => {
    const rows = diskRows(
      [
        entry({ path: '/w/r/b', bytes: 10 }),
        entry({ path: '/w/r/big', bytes: 5_000, taskId: 't1', taskStatus: 'review', taskTitle: 'Old title' }),
        entry({ path: '/w/r/a', bytes: 10 }),
      ],
      { t1: makeTask({ id: 't1', title: 'Fix the login', status: 'merged' }) },
    );
    expect(rows.map((r) => r.path)).toEqual(['/w/r/big', '/w/r/a', '/w/r/b']);
    expect(rows[0]).toMatchObject({ taskStatus: 'merged', taskTitle: 'Fix the login', removal: { kind: 'removable' } });
  });

  it('keeps the snapshot’s status for a task the board does not know', () => {
    const [row] = diskRows([entry({ path: '/w/r/x', taskId: 'gone', taskStatus: 'running', taskTitle: 'Busy' })], {});
    expect(row).toMatchObject({ taskStatus: 'running', taskTitle: 'Busy', removal: { kind: 'kept', reason: 'Its agent is at work' } });
  });

  it('plans a clean-up of the removable, clean rows only, and counts the dirty ones it skips', () => {
    const rows = diskRows(
      [
        entry({ path: '/w/r/orphan', bytes: 300 }),
        entry({ path: '/w/r/dirty', bytes: 200, uncommitted: { count: 2, paths: ['a', 'b'], error: null } }),
        entry({ path: '/w/r/unknown', bytes: 50, uncommitted: { count: 0, paths: [], error: 'git status failed' } }),
        entry({ path: '/w/r/live', bytes: 900, taskId: 't1', taskStatus: 'running' }),
        entry({ path: '/w/r/done', bytes: 100, taskId: 't2', taskStatus: 'discarded' }),
      ],
      {},
    );
    const plan = cleanupPlan(rows);
    expect(plan.rows.map((r) => r.path)).toEqual(['/w/r/orphan', '/w/r/done']);
    expect(plan.bytes).toBe(400);
    expect(plan.skippedDirty).toBe(2);
    expect(totalBytes(rows)).toBe(1_550);
  });

  it('moves focus to the next removable row after a removal, else the previous one, else nowhere', () => {
    const rows = diskRows(
      [
        entry({ path: '/a', bytes: 4 }),
        entry({ path: '/b', bytes: 3 }),
        entry({ path: '/c', bytes: 2, taskId: 't', taskStatus: 'running' }),
        entry({ path: '/d', bytes: 1 }),
      ],
      {},
    );
    expect(focusAfterRemoval(rows, '/b')).toBe('/d');
    expect(focusAfterRemoval(rows, '/d')).toBe('/b');
    expect(focusAfterRemoval(rows.slice(2, 4), '/d')).toBeNull();
    expect(focusAfterRemoval(rows, '/nope')).toBeNull();
  });
});

describe('formatting', () => {
  it('formats sizes in binary steps, one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(200 * 1024)).toBe('200 KB');
    expect(formatBytes(700 * 1024 * 1024)).toBe('700 MB');
    expect(formatBytes(1024 * 1024 - 100)).toBe('1.0 MB');
    expect(formatBytes(3.25 * 1024 ** 3)).toBe('3.3 GB');
    expect(formatBytes(5 * 1024 ** 5)).toBe('5120 TB');
  });

  it('splits a path for a middle ellipsis, keeping the last segment whole', () => {
    expect(splitPathForEllipsis('/home/me/.flotilla/worktrees/r1/fix-login-2')).toEqual({ head: '/home/me/.flotilla/worktrees/r1', tail: '/fix-login-2' });
    const long = `/w/r/${'x'.repeat(40)}`;
    const split = splitPathForEllipsis(long);
    expect(split.head + split.tail).toBe(long);
    expect(split.tail).toHaveLength(28);
    expect(splitPathForEllipsis('C:\\Users\\me\\wt\\task')).toEqual({ head: 'C:\\Users\\me\\wt', tail: '\\task' });
    expect(splitPathForEllipsis('plain')).toEqual({ head: '', tail: 'plain' });
    expect(folderName('/w/r/fix-login-2/')).toBe('fix-login-2');
  });

  it('names the uncommitted files a removal would lose', () => {
    expect(describeUncommitted({ count: 0, paths: [], error: null })).toBe('no uncommitted changes');
    expect(describeUncommitted({ count: 1, paths: ['notes.txt'], error: null })).toBe('1 uncommitted file: notes.txt');
    expect(describeUncommitted({ count: 7, paths: ['a', 'b', 'c', 'd', 'e'], error: null })).toBe('7 uncommitted files: a, b, c, d, e and 2 more');
    expect(describeUncommitted({ count: 0, paths: [], error: 'git status timed out' })).toBe(
      'could not be inspected (git status timed out); it may hold uncommitted work',
    );
  });
});
