import type { Task } from '../../../shared/model/task.js';
import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import { UNSAFE_CHAR_SOURCE } from '../../../shared/model/inertText.js';

/** 200 characters: a turn's line in a commit message stays one readable line. */
const MAX_TURN_LINE = 200;

/**
 * The squash commit's message as Flotilla drafts it (the user edits it before merging): the
 * title, the prompt, then one line per turn, its follow-up request if any and the agent's
 * last words. Every character a model or agent wrote that could act on a terminal (escapes,
 * bidi controls) is dropped: commit messages end up in the user's `git log`.
 */
export function draftSquashMessage(task: Task, events: readonly TaskEvent[]): string {
  const turns: { asked: string | null; answer: string | null }[] = [{ asked: null, answer: null }];
  for (const { body } of events) {
    if (body.kind === 'user_message') turns.push({ asked: firstLine(body.text), answer: null });
    const current = turns[turns.length - 1];
    if (body.kind === 'agent_message' && current) current.answer = firstLine(body.text);
  }
  const lines = turns
    .filter((turn) => turn.asked !== null || turn.answer !== null)
    .map((turn, n) => `- Turn ${n + 1}: ${[turn.asked && `asked "${turn.asked}"`, turn.answer].filter(Boolean).join(' → ')}`);
  const parts = [clean(task.title), clean(task.prompt).trim()];
  if (lines.length > 0) parts.push(lines.join('\n'));
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`;
}

/** The merge commit's message. */
export function mergeCommitMessage(task: Task): string {
  return `Merge ${task.branch}: ${clean(task.title)}\n`;
}

function firstLine(text: string): string {
  const line = clean(text).trim().split('\n')[0] ?? '';
  return line.length > MAX_TURN_LINE ? `${line.slice(0, MAX_TURN_LINE - 1)}…` : line;
}

/** Drops what `inertText` would escape (controls but \n and \t, bidi and invisible characters). */
function clean(text: string): string {
  return text.replace(new RegExp(UNSAFE_CHAR_SOURCE, 'g'), '');
}
