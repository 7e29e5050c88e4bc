import type { ReviewComment } from '../../../shared/model/reviewComment.js';

/** 40 lines: enough to recognise any range; the agent can read the file for the rest. */
const MAX_QUOTED_LINES = 40;

/**
 * The agent's next turn after "Request changes": the user's message, then every comment with its
 * file, line range, the lines it is about (as the diff showed them) and what the reviewer said.
 */
export function changesRequestMessage(comments: readonly ReviewComment[], message: string | undefined): string {
  const intro = message?.trim() ? `${message.trim()}\n\n` : '';
  const count = comments.length === 1 ? 'this review comment' : `these ${comments.length} review comments`;
  const items = comments.map((comment, index) => `${index + 1}. ${heading(comment)}\n${quoted(comment.quote)}\n${comment.text.trim()}`);
  return `${intro}The reviewer requests changes. Address ${count} on your work, then summarise what you changed for each:\n\n${items.join('\n\n')}`;
}

function heading(comment: ReviewComment): string {
  const lines = comment.startLine === comment.endLine ? `line ${comment.startLine}` : `lines ${comment.startLine}-${comment.endLine}`;
  const finding = comment.kind === 'finding' ? `[P${comment.priority ?? 3}] ${comment.title ?? 'finding'}: ` : '';
  return `${finding}${comment.file}, ${lines}:`;
}

function quoted(quote: string): string {
  const lines = quote.split('\n');
  const shown = lines.slice(0, MAX_QUOTED_LINES).map((line) => `> ${line}`);
  if (lines.length > MAX_QUOTED_LINES) shown.push(`> … (${lines.length - MAX_QUOTED_LINES} more lines)`);
  return shown.join('\n');
}
