import { describe, expect, it } from 'vitest';
import { TASK_STATUSES, allowedTransitions, canMerge, canTransition, isActive, isFinal } from './taskLifecycle.js';
import { BOARD_COLUMNS, columnOf } from './boardColumns.js';

describe('task lifecycle', () => {
  it('runs the happy path backlog → queued → running → review → merged', () => {
    const path = ['backlog', 'queued', 'running', 'review', 'merged'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('never leaves merged; leaves discarded only for Review (a restore)', () => {
    for (const to of TASK_STATUSES) {
      expect(canTransition('merged', to)).toBe(false);
      expect(canTransition('discarded', to)).toBe(to === 'review');
    }
    expect(isFinal('merged')).toBe(true);
    expect(isFinal('discarded')).toBe(true);
    expect(isFinal('review')).toBe(false);
  });

  it('refuses to merge a task whose agent is still working', () => {
    expect(canMerge('running')).toBe(false);
    expect(canMerge('queued')).toBe(false);
    expect(canMerge('review')).toBe(true);
  });

  it('lets a running task end in every way a process can end', () => {
    expect(allowedTransitions('running')).toEqual(expect.arrayContaining(['review', 'failed', 'stopped', 'interrupted', 'needs_input']));
  });

  it('marks a crashed host’s queued and running tasks interrupted', () => {
    expect(canTransition('queued', 'interrupted')).toBe(true);
    expect(canTransition('running', 'interrupted')).toBe(true);
  });

  it('only queued and running are active', () => {
    expect(TASK_STATUSES.filter(isActive)).toEqual(['queued', 'running']);
  });

  it('never jumps from backlog to review or from review back to backlog', () => {
    expect(canTransition('backlog', 'review')).toBe(false);
    expect(canTransition('review', 'backlog')).toBe(false);
  });
});

describe('board columns', () => {
  it('puts every status in exactly one of the five columns', () => {
    for (const status of TASK_STATUSES) expect(BOARD_COLUMNS).toContain(columnOf(status));
  });

  it('makes failures, stops and questions "Needs you"', () => {
    for (const status of ['needs_input', 'failed', 'stopped', 'interrupted'] as const) expect(columnOf(status)).toBe('needs_you');
  });

  it('shows queued and running as In progress, merged and discarded as Done', () => {
    expect(columnOf('queued')).toBe('in_progress');
    expect(columnOf('running')).toBe('in_progress');
    expect(columnOf('merged')).toBe('done');
    expect(columnOf('discarded')).toBe('done');
    expect(columnOf('review')).toBe('review');
    expect(columnOf('backlog')).toBe('backlog');
  });
});
