import crypto from 'node:crypto';
import { failure, type Failure } from '../../../shared/contract.js';
import type { TaskDiff } from '../../../shared/model/diff.js';
import { foldReviewComments, isUnsentComment, type ReviewComment } from '../../../shared/model/reviewComment.js';
import type { Task } from '../../../shared/model/task.js';
import type { Journal } from '../journal/journal.js';
import type { TaskStore } from '../store/taskStore.js';
import type { TaskTransitions } from '../tasks/taskTransitions.js';
import { changesRequestMessage } from './changesRequest.js';
import { commentableLines } from './diffLines.js';

type Result<T> = ({ ok: true } & T) | Failure;

export interface NewComment {
  file: string;
  startLine: number;
  endLine?: number | undefined;
  text: string;
}

/** A finding of an AI review, placed on the diff (reviewAgent.ts) before it is stored. */
export type NewFinding = Pick<ReviewComment, 'file' | 'startLine' | 'endLine' | 'quote' | 'text' | 'title' | 'priority' | 'confidence'>;

export interface ReviewCommentsDeps {
  tasks: Pick<TaskStore, 'get' | 'agentHistory'>;
  journal: Pick<Journal, 'eventsOfKinds'>;
  transitions: Pick<TaskTransitions, 'record'>;
  /** The task's diff as `tasks.diff` answers it (a Failure when there is none to show). */
  diff: (taskId: string) => Promise<Result<{ diff: TaskDiff }>>;
  /** A follow-up turn (TaskService.send): refuses while the agent works or once the task is finished. */
  send: (taskId: string, message: string) => Result<{ task: Task }>;
  clock: () => number;
}

/**
 * The comments on a task's diff, kept in its journal (one `review_comment` event per version of
 * a comment): adding one on lines the diff shows, listing them, and "Request changes", which sends
 * the unsent ones as the agent's next turn and records which turn answers them.
 */
export class ReviewComments {
  constructor(private readonly deps: ReviewCommentsDeps) {}

  list(taskId: string): Result<{ comments: ReviewComment[] }> {
    if (!this.deps.tasks.get(taskId)) return notFound(taskId);
    return { ok: true, comments: this.current(taskId) };
  }

  async add(taskId: string, input: NewComment): Promise<Result<{ comment: ReviewComment }>> {
    if (!this.deps.tasks.get(taskId)) return notFound(taskId);
    const endLine = input.endLine ?? input.startLine;
    if (endLine < input.startLine) return failure('invalid_input', `the range ends (line ${endLine}) before it starts (line ${input.startLine})`);
    const shown = await this.deps.diff(taskId);
    if (!shown.ok) return shown;
    const file = shown.diff.files.find((candidate) => candidate.path === input.file);
    if (!file) return failure('invalid_input', `${input.file} is not in the diff of task ${taskId}; comment on a file it changes`);
    const lines = commentableLines(file);
    const missing = [input.startLine, endLine].find((line) => !lines.has(line));
    if (missing !== undefined) {
      const why = lines.size === 0 ? 'the diff shows no lines of it (binary or too big)' : `the diff shows ${describeRanges([...lines.keys()])}`;
      return failure('invalid_input', `line ${missing} of ${input.file} is not in the diff; ${why}`);
    }
    const quote = [...lines].filter(([line]) => line >= input.startLine && line <= endLine).map(([, text]) => text).join('\n');
    const comment = this.store(taskId, {
      ...newComment(this.deps.clock()),
      kind: 'comment',
      file: input.file,
      startLine: input.startLine,
      endLine,
      quote,
      text: input.text.trim(),
      title: null,
      priority: null,
      confidence: null,
    });
    return { ok: true, comment };
  }

  /** Stores an AI review's findings as comments of kind `finding` (unsent until the user picks them). */
  addFindings(taskId: string, findings: readonly NewFinding[]): ReviewComment[] {
    const now = this.deps.clock();
    return findings.map((finding) => this.store(taskId, { ...newComment(now), kind: 'finding', ...finding }));
  }

  /**
   * Sends every unsent comment of the user's, plus the chosen findings, as the agent's next turn
   * (after `message`); each then records when it was sent and the turn that answers it.
   */
  requestChanges(taskId: string, input: { message?: string | undefined; findingIds?: readonly string[] | undefined }): Result<{ task: Task; sent: ReviewComment[] }> {
    if (!this.deps.tasks.get(taskId)) return notFound(taskId);
    const comments = this.current(taskId);
    const findings: ReviewComment[] = [];
    for (const id of input.findingIds ?? []) {
      const finding = comments.find((comment) => comment.id === id);
      if (!finding || finding.kind !== 'finding') return failure('invalid_input', `task ${taskId} has no AI finding with id "${id}"`);
      if (finding.sentAt !== null) return failure('invalid_input', `finding "${id}" was already sent (turn ${finding.answeredInTurn ?? '?'})`);
      if (!findings.includes(finding)) findings.push(finding);
    }
    const toSend = [...comments.filter(isUnsentComment), ...findings];
    if (toSend.length === 0) return failure('invalid_state', `task ${taskId} has no unsent comments; add one (flotilla task comment) or choose findings first`);
    const turn = this.deps.tasks.agentHistory(taskId).turns + 1;
    const sent = this.deps.send(taskId, changesRequestMessage(toSend, input.message));
    if (!sent.ok) return sent;
    const sentAt = this.deps.clock();
    const updated = toSend.map((comment) => this.store(taskId, { ...comment, sentAt, answeredInTurn: turn }));
    return { ok: true, task: sent.task, sent: updated };
  }

  private current(taskId: string): ReviewComment[] {
    return foldReviewComments(this.deps.journal.eventsOfKinds(taskId, ['review_comment']));
  }

  private store(taskId: string, comment: ReviewComment): ReviewComment {
    this.deps.transitions.record(taskId, { kind: 'review_comment', comment });
    return comment;
  }
}

function newComment(now: number): Pick<ReviewComment, 'id' | 'createdAt' | 'sentAt' | 'answeredInTurn'> {
  return { id: crypto.randomUUID().slice(0, 8), createdAt: now, sentAt: null, answeredInTurn: null };
}

/** [3,4,5,9] → "lines 3-5, 9" (at most 6 ranges, then "…"). */
export function describeRanges(lines: number[]): string {
  const sorted = [...lines].sort((a, b) => a - b);
  const ranges: string[] = [];
  let start = sorted[0];
  for (let i = 0; i < sorted.length; i += 1) {
    const line = sorted[i] as number;
    const next = sorted[i + 1];
    if (next === line + 1) continue;
    ranges.push(start === line ? `${line}` : `${start}-${line}`);
    start = next;
  }
  const shown = ranges.slice(0, 6).join(', ');
  return `lines ${shown}${ranges.length > 6 ? ', …' : ''}`;
}

function notFound(id: string): Failure {
  return failure('not_found', `no task with id "${id}"`);
}
