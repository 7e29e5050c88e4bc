import { describe, expect, it } from 'vitest';
import { BOARD_COLUMNS, type BoardColumn } from '../../../../shared/model/boardColumns.js';
import { TASK_STATUSES, type TaskStatus } from '../../../../shared/model/taskLifecycle.js';
import { acceptedMoves, dropActionFor, dropActionLabel, isAccepted } from './dropRules.js';

describe('dropActionFor', () => {
  it.each<[TaskStatus, BoardColumn, ReturnType<typeof dropActionFor>['type'], object?]>([
    ['backlog', 'in_progress', 'start'],
    ['review', 'in_progress', 'send', { mode: 'follow_up' }],
    ['needs_input', 'in_progress', 'send', { mode: 'follow_up' }],
    ['failed', 'in_progress', 'send', { mode: 'resume' }],
    ['stopped', 'in_progress', 'send', { mode: 'resume' }],
    ['interrupted', 'in_progress', 'send', { mode: 'resume' }],
    ['review', 'done', 'finish', { canMerge: true }],
    ['backlog', 'done', 'finish', { canMerge: false }],
    ['queued', 'done', 'finish', { canMerge: false }],
    ['failed', 'done', 'finish', { canMerge: false }],
    ['stopped', 'done', 'finish', { canMerge: false }],
    ['needs_input', 'done', 'finish', { canMerge: false }],
    ['running', 'done', 'refuse'],
    ['review', 'backlog', 'refuse'],
    ['running', 'review', 'refuse'],
    ['stopped', 'review', 'refuse'],
    ['backlog', 'needs_you', 'refuse'],
    ['merged', 'in_progress', 'refuse'],
    ['discarded', 'backlog', 'refuse'],
    ['running', 'in_progress', 'stay'],
    ['queued', 'in_progress', 'stay'],
    ['failed', 'needs_you', 'stay'],
    ['merged', 'done', 'stay'],
  ])('%s → %s is %s', (status, column, type, extra) => {
    const action = dropActionFor(status, column);
    expect(action.type).toBe(type);
    if (extra) expect(action).toMatchObject(extra);
  });

  it('explains every refusal in words', () => {
    for (const status of TASK_STATUSES) {
      for (const column of BOARD_COLUMNS) {
        const action = dropActionFor(status, column);
        if (action.type === 'refuse') expect(action.reason).toMatch(/^[A-Z].{15,}\.$/);
      }
    }
  });

  it('never answers a pending approval by a drag', () => {
    const action = dropActionFor('needs_input', 'in_progress', true);
    expect(action).toMatchObject({ type: 'refuse', reason: expect.stringMatching(/approval/) });
    expect(dropActionFor('needs_input', 'done', true).type).toBe('finish');
    expect(acceptedMoves('needs_input', true).map((m) => m.column)).toEqual(['done']);
  });

  it('never offers a finished task anything', () => {
    for (const status of ['merged', 'discarded'] as const) {
      for (const column of BOARD_COLUMNS) expect(isAccepted(dropActionFor(status, column))).toBe(false);
    }
  });

  it('labels the moves for menus', () => {
    expect(dropActionLabel(dropActionFor('backlog', 'in_progress'), 'in_progress')).toBe('Start');
    expect(dropActionLabel(dropActionFor('failed', 'in_progress'), 'in_progress')).toBe('Resume…');
    expect(dropActionLabel(dropActionFor('review', 'in_progress'), 'in_progress')).toBe('Send a follow-up…');
    expect(dropActionLabel(dropActionFor('review', 'done'), 'done')).toBe('Merge or discard…');
    expect(dropActionLabel(dropActionFor('backlog', 'done'), 'done')).toBe('Discard…');
  });
});

describe('acceptedMoves', () => {
  it('offers, for the keyboard, exactly the drops the board accepts', () => {
    expect(acceptedMoves('backlog').map((m) => [m.column, m.action.type])).toEqual([
      ['in_progress', 'start'],
      ['done', 'finish'],
    ]);
    expect(acceptedMoves('review').map((m) => m.column)).toEqual(['in_progress', 'done']);
    expect(acceptedMoves('running')).toEqual([]);
    expect(acceptedMoves('merged')).toEqual([]);
    for (const status of TASK_STATUSES) {
      for (const column of BOARD_COLUMNS) {
        const isOffered = acceptedMoves(status).some((m) => m.column === column);
        expect(isOffered).toBe(isAccepted(dropActionFor(status, column)));
      }
    }
  });
});
