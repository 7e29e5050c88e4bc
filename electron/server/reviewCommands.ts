import type { ReviewComment, ReviewVerdict } from '../../shared/model/reviewComment.js';
import { inertLine } from '../../shared/model/inertText.js';
import { arg, runTurnCommand, type ClientCommand } from './clientCommands.js';
import { printed, replied } from './commandReplies.js';

/** Sending a task back: comments on its diff, "Request changes", and the AI review. */

const POSITIVE_INTEGER = /^[1-9]\d*$/;

export const commentCommand: ClientCommand = {
  name: 'task comment',
  usage: 'task comment ID --file PATH --line N [--end-line M] --text TEXT',
  options: { file: { type: 'string' }, line: { type: 'string' }, 'end-line': { type: 'string' }, text: { type: 'string' } },
  positionals: ['ID'],
  required: ['file', 'line', 'text'],
  validate: (values) => {
    for (const name of ['line', 'end-line']) {
      const value = values[name];
      if (typeof value === 'string' && !POSITIVE_INTEGER.test(value)) return `--${name} must be a line number (1 or more), not '${value}'`;
    }
    return undefined;
  },
  async run(ctx) {
    const endLine = typeof ctx.values['end-line'] === 'string' ? Number(ctx.values['end-line']) : undefined;
    const request = {
      id: arg(ctx, 0),
      file: String(ctx.values.file),
      startLine: Number(ctx.values.line),
      ...(endLine !== undefined ? { endLine } : {}),
      text: String(ctx.values.text),
    };
    return replied(ctx, ctx.client.invoke('tasks.comment', request), ({ comment }) =>
      printed(ctx, comment, inertLine(`Comment ${comment.id} on ${comment.file} ${lineRange(comment)} (unsent; flotilla task request-changes ${request.id} sends it)`)),
    );
  },
};

export const commentsCommand: ClientCommand = {
  name: 'task comments',
  usage: 'task comments ID',
  options: {},
  positionals: ['ID'],
  async run(ctx) {
    return replied(ctx, ctx.client.invoke('tasks.comments', { id: arg(ctx, 0) }), ({ comments }) =>
      printed(ctx, comments, comments.length === 0 ? 'No comments.' : comments.map(formatComment).join('\n\n')),
    );
  },
};

export const requestChangesCommand: ClientCommand = {
  name: 'task request-changes',
  usage: 'task request-changes ID [--message TEXT] [--finding ID,ID…] [--wait]',
  options: { message: { type: 'string' }, finding: { type: 'string' }, wait: { type: 'boolean' } },
  positionals: ['ID'],
  async run(ctx) {
    const findingIds = typeof ctx.values.finding === 'string' ? ctx.values.finding.split(',').map((id) => id.trim()).filter((id) => id !== '') : [];
    const request = {
      id: arg(ctx, 0),
      ...(typeof ctx.values.message === 'string' ? { message: ctx.values.message } : {}),
      ...(findingIds.length > 0 ? { findingIds } : {}),
    };
    // --wait: like `task send --wait`, returns once the agent's turn has ended.
    if (ctx.values.wait === true) return runTurnCommand(ctx, (client) => client.invoke('tasks.requestChanges', request), 'Sent the comments to');
    return replied(ctx, ctx.client.invoke('tasks.requestChanges', request), ({ task, sent }) =>
      printed(
        ctx,
        { ok: true, task: { id: task.id, status: task.status }, sent },
        inertLine(`Sent ${sent.length === 1 ? '1 comment' : `${sent.length} comments`} to the agent of ${task.id}; it is ${task.status} (turn ${sent[0]?.answeredInTurn ?? '?'})`),
      ),
    );
  },
};

export const reviewCommand: ClientCommand = {
  name: 'task review',
  usage: 'task review ID   (runs a read-only review agent over the diff and waits for its findings)',
  options: {},
  positionals: ['ID'],
  async run(ctx) {
    return replied(ctx, ctx.client.invoke('tasks.review', { id: arg(ctx, 0) }), ({ verdict, findings }) =>
      printed(ctx, { ok: true, ...verdict, findings }, formatReview(verdict, findings)),
    );
  },
};

export const REVIEW_COMMANDS: Record<string, ClientCommand> = {
  comment: commentCommand,
  comments: commentsCommand,
  'request-changes': requestChangesCommand,
  review: reviewCommand,
};

function lineRange(comment: ReviewComment): string {
  return comment.startLine === comment.endLine ? `line ${comment.startLine}` : `lines ${comment.startLine}-${comment.endLine}`;
}

/** Every line through inertLine: file names, quotes and texts are the agent's or the model's. */
function formatComment(comment: ReviewComment): string {
  const label = comment.kind === 'finding' ? `finding P${comment.priority ?? 3} ${comment.title ?? ''}` : 'comment';
  const state = comment.sentAt === null ? 'unsent' : `sent, answered in turn ${comment.answeredInTurn ?? '?'}`;
  const head = inertLine(`${comment.id}  ${label}  ${comment.file} ${lineRange(comment)}  (${state})`);
  const quote = comment.quote === '' ? [] : comment.quote.split('\n').slice(0, 6).map((line) => `  > ${inertLine(line)}`);
  const text = comment.text.split('\n').map((line) => `  ${inertLine(line)}`);
  return [head, ...quote, ...text].join('\n');
}

function formatReview(verdict: ReviewVerdict, findings: ReviewComment[]): string {
  const confidence = verdict.overallConfidence === null ? '' : ` (confidence ${verdict.overallConfidence})`;
  const head = [inertLine(`AI review: ${verdict.overallCorrectness}${confidence}`), inertLine(verdict.overallExplanation)];
  const body = findings.length === 0 ? ['No findings.'] : findings.map(formatComment);
  const hint = findings.length > 0 ? ['', 'Send chosen findings to the agent: flotilla task request-changes ID --finding FINDING_ID,…'] : [];
  return [...head, '', ...body, ...hint].join('\n');
}
