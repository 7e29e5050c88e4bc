import { describe, expect, it } from 'vitest';
import { MAX_FINDINGS, parseReviewAnswer, repoRelative } from './reviewFindings.js';

const WORKTREE = '/tmp/wt';
const files = [{ path: 'src/a.ts', change: 'modified' as const, patch: '@@ -1,2 +1,2 @@\n one\n-two\n+TWO' }];
const finding = (file: string, start = 2, end = 2) => ({
  title: 'Bug',
  body: 'Wrong value',
  confidence_score: 0.8,
  priority: 1,
  code_location: { absolute_file_path: file, line_range: { start, end } },
});
const answer = (findings: unknown[]) =>
  JSON.stringify({ findings, overall_correctness: 'patch is incorrect', overall_explanation: 'One bug.', overall_confidence_score: 0.7 });

describe('parseReviewAnswer', () => {
  it('reads structured output: repo-relative and absolute paths inside the worktree, the quoted lines from the diff', () => {
    const parsed = parseReviewAnswer(answer([finding('src/a.ts'), finding(`${WORKTREE}/src/a.ts`, 1, 2)]), { worktreePath: WORKTREE, files });
    expect(parsed).toMatchObject({ ok: true, verdict: { overallCorrectness: 'patch is incorrect', overallConfidence: 0.7 }, droppedPaths: [] });
    if (!parsed.ok) return;
    expect(parsed.findings.map((f) => [f.file, f.startLine, f.endLine, f.quote, f.priority])).toEqual([
      ['src/a.ts', 2, 2, 'TWO', 1],
      ['src/a.ts', 1, 2, 'one\nTWO', 1],
    ]);
  });

  it('accepts the JSON inside a final message (a ```json block in prose)', () => {
    const text = `Here is my review.\n\n\`\`\`json\n${answer([finding('src/a.ts')])}\n\`\`\`\nThanks.`;
    const parsed = parseReviewAnswer(text, { worktreePath: WORKTREE, files });
    expect(parsed.ok && parsed.findings).toHaveLength(1);
  });

  it('drops findings whose path leaves the worktree', () => {
    const parsed = parseReviewAnswer(answer([finding('/etc/passwd'), finding('../other/x.ts'), finding('src/a.ts')]), { worktreePath: WORKTREE, files });
    expect(parsed.ok && parsed.droppedPaths).toEqual(['/etc/passwd', '../other/x.ts']);
    expect(parsed.ok && parsed.findings.map((f) => f.file)).toEqual(['src/a.ts']);
  });

  it('keeps at most MAX_FINDINGS findings', () => {
    const many = Array.from({ length: MAX_FINDINGS + 5 }, () => finding('src/a.ts'));
    const parsed = parseReviewAnswer(answer(many), { worktreePath: WORKTREE, files });
    expect(parsed.ok && parsed.findings).toHaveLength(MAX_FINDINGS);
  });

  it('says clearly when the answer is not the findings JSON', () => {
    expect(parseReviewAnswer('Looks good to me!', { worktreePath: WORKTREE, files })).toEqual({
      ok: false,
      reason: 'the review agent\'s answer holds no findings JSON (it said: "Looks good to me!")',
    });
    const wrong = parseReviewAnswer(JSON.stringify({ findings: [{ title: 'x' }] }), { worktreePath: WORKTREE, files });
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.reason).toMatch(/^the review agent's answer is not in the findings format: .* at findings\.0\./);
  });
});

describe('repoRelative', () => {
  it('keeps paths inside the worktree and refuses the rest', () => {
    expect(repoRelative('a/b.ts', WORKTREE)).toBe('a/b.ts');
    expect(repoRelative(`${WORKTREE}/a/../b.ts`, WORKTREE)).toBe('b.ts');
    expect(repoRelative('..foo', WORKTREE)).toBe('..foo');
    expect(repoRelative(`${WORKTREE}-other/x`, WORKTREE)).toBeNull();
    expect(repoRelative(WORKTREE, WORKTREE)).toBeNull();
  });
});
