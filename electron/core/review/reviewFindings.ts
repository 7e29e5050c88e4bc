import path from 'node:path';
import { z } from 'zod';
import type { FileDiff } from '../../../shared/model/diff.js';
import type { ReviewVerdict } from '../../../shared/model/reviewComment.js';
import { commentableLines } from './diffLines.js';
import type { NewFinding } from './reviewComments.js';

/**
 * The review agent's answer in Codex review mode's shape, asked for as structured output
 * (`REVIEW_OUTPUT_FORMAT`) and accepted from a final message too (bare JSON, a ```json block, or
 * the outermost {…} in prose). Everything in it is the model's: parsed as data, never followed.
 */

const ReviewAnswerSchema = z.object({
  findings: z.array(
    z.object({
      title: z.string().min(1).max(1000),
      body: z.string().max(20_000),
      confidence_score: z.number().min(0).max(1).nullish(),
      priority: z.number().int().min(0).max(3).nullish(),
      code_location: z.object({
        absolute_file_path: z.string().min(1).max(4096),
        line_range: z.object({ start: z.number().int().positive(), end: z.number().int().positive() }),
      }),
    }),
  ),
  overall_correctness: z.string().max(1000),
  overall_explanation: z.string().max(20_000),
  overall_confidence_score: z.number().min(0).max(1).nullish(),
});

/** JSON schema of the answer for the Responses API's `text.format` (strict: every field required). */
export const REVIEW_OUTPUT_FORMAT = {
  type: 'json_schema' as const,
  name: 'code_review',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['findings', 'overall_correctness', 'overall_explanation', 'overall_confidence_score'],
    properties: {
      findings: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'body', 'confidence_score', 'priority', 'code_location'],
          properties: {
            title: { type: 'string' },
            body: { type: 'string' },
            confidence_score: { type: 'number' },
            priority: { type: 'integer', minimum: 0, maximum: 3 },
            code_location: {
              type: 'object',
              additionalProperties: false,
              required: ['absolute_file_path', 'line_range'],
              properties: {
                absolute_file_path: { type: 'string' },
                line_range: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['start', 'end'],
                  properties: { start: { type: 'integer' }, end: { type: 'integer' } },
                },
              },
            },
          },
        },
      },
      overall_correctness: { type: 'string', enum: ['patch is correct', 'patch is incorrect'] },
      overall_explanation: { type: 'string' },
      overall_confidence_score: { type: 'number' },
    },
  },
};

/** 50 findings: a review with more is noise to a reader; each one becomes a journal event. */
export const MAX_FINDINGS = 50;

export type ParsedReview = { ok: true; verdict: ReviewVerdict; findings: NewFinding[]; droppedPaths: string[] } | { ok: false; reason: string };

/**
 * Reads the answer; a finding's path may be repo-relative or absolute inside the worktree (the
 * agent's working directory); one that leads elsewhere is dropped (named in `droppedPaths`).
 */
export function parseReviewAnswer(text: string, opts: { worktreePath: string; files: readonly Pick<FileDiff, 'path' | 'change' | 'patch'>[] }): ParsedReview {
  const json = extractJson(text);
  if (json === undefined) return { ok: false, reason: `the review agent's answer holds no findings JSON (it said: ${preview(text)})` };
  const parsed = ReviewAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, reason: `the review agent's answer is not in the findings format: ${issue?.message ?? 'invalid'}${where}` };
  }
  const answer = parsed.data;
  const findings: NewFinding[] = [];
  const droppedPaths: string[] = [];
  for (const finding of answer.findings.slice(0, MAX_FINDINGS)) {
    const file = repoRelative(finding.code_location.absolute_file_path, opts.worktreePath);
    if (file === null) {
      droppedPaths.push(finding.code_location.absolute_file_path);
      continue;
    }
    const { start, end } = finding.code_location.line_range;
    const startLine = Math.min(start, end);
    const endLine = Math.max(start, end);
    const diffFile = opts.files.find((candidate) => candidate.path === file);
    const lines = diffFile ? commentableLines(diffFile) : new Map<number, string>();
    const quote = [...lines].filter(([line]) => line >= startLine && line <= endLine).map(([, lineText]) => lineText).join('\n');
    findings.push({
      file,
      startLine,
      endLine,
      quote,
      text: finding.body,
      title: finding.title,
      priority: finding.priority ?? 3,
      confidence: finding.confidence_score ?? null,
    });
  }
  return {
    ok: true,
    verdict: {
      overallCorrectness: answer.overall_correctness,
      overallExplanation: answer.overall_explanation,
      overallConfidence: answer.overall_confidence_score ?? null,
    },
    findings,
    droppedPaths,
  };
}

function extractJson(text: string): unknown {
  const candidates = [text.trim()];
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text);
  if (fenced?.[1]) candidates.push(fenced[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // the next form
    }
  }
  return undefined;
}

/** A `/`-separated path inside the worktree, or null when it leaves it (or names the worktree itself). */
export function repoRelative(file: string, worktreePath: string): string | null {
  const root = path.resolve(worktreePath);
  const absolute = path.isAbsolute(file) ? path.resolve(file) : path.resolve(root, file);
  const relative = path.relative(root, absolute);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine === '') return 'nothing';
  return `"${oneLine.length > 120 ? `${oneLine.slice(0, 120)}…` : oneLine}"`;
}
