import { describe, expect, it } from 'vitest';
import type { ReviewComment } from '../../../../shared/model/reviewComment.js';
import { commentsByLine, withComment } from './useReviewComments.js';

const comment = (id: string, overrides: Partial<ReviewComment> = {}): ReviewComment => ({
  id,
  kind: 'comment',
  file: 'a.ts',
  startLine: 1,
  endLine: 1,
  quote: 'x',
  text: 'fix',
  title: null,
  priority: null,
  confidence: null,
  createdAt: 0,
  sentAt: null,
  answeredInTurn: null,
  ...overrides,
});

describe('withComment', () => {
  it('replaces a comment by its newer state in place, and adds a new one at the end', () => {
    const list = [comment('a'), comment('b')];
    expect(withComment(list, comment('a', { sentAt: 5, answeredInTurn: 2 })).map((c) => [c.id, c.answeredInTurn])).toEqual([
      ['a', 2],
      ['b', null],
    ]);
    expect(withComment(list, comment('c')).map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('commentsByLine', () => {
  it('groups one file’s comments by the line their range ends on', () => {
    const byLine = commentsByLine([comment('a', { endLine: 3 }), comment('b', { file: 'b.ts' }), comment('c', { startLine: 2, endLine: 3 })], 'a.ts');
    expect([...byLine].map(([line, list]) => [line, list.map((c) => c.id)])).toEqual([[3, ['a', 'c']]]);
  });
});
