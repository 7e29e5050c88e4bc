import type { Repo, Task } from '../../shared/model/task.js';
import type { TaskDiff } from '../../shared/model/diff.js';
import { inertLine } from '../../shared/model/inertText.js';

/**
 * Rows as columns separated by two spaces; the last column is not padded. Every cell is one
 * line (`inertLine`): a title or a reason with a newline cannot break its row or forge one.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((row) => row.map(inertLine));
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatTaskTable(tasks: readonly Task[]): string {
  if (tasks.length === 0) return 'No tasks.';
  return formatTable(
    ['ID', 'STATUS', 'REPO', 'BRANCH', 'TITLE'],
    tasks.map((t) => [t.id, t.status, t.repoName, t.branch, t.title]),
  );
}

export function formatRepoTable(repos: readonly Repo[]): string {
  if (repos.length === 0) return 'No repos.';
  return formatTable(
    ['ID', 'NAME', 'BRANCH', 'PATH'],
    repos.map((r) => [r.id, r.name, r.defaultBranch, r.path]),
  );
}

/** `task show`: one labelled line per field (each kept to one line), then the prompt indented. */
export function formatTask(task: Task): string {
  const status = task.statusReason ? `${task.status}: ${task.statusReason}` : task.status;
  const lines: [string, string][] = [
    ['Task', task.id],
    ['Title', task.title],
    ['Status', status],
    ['Repo', `${task.repoName} (${task.repoPath})`],
    ['Branch', `${task.branch} from ${task.baseBranch} at ${task.baseCommit.slice(0, 10)}`],
    ['Worktree', task.worktreePath],
    ['Model', `${task.model}${task.isModelPinned ? ' (chosen for this task)' : ''}`],
    ['Provider', task.provider ?? '(the default in effect)'],
    ['Created', new Date(task.createdAt).toISOString()],
    ['Updated', new Date(task.updatedAt).toISOString()],
  ];
  if (task.mergeCommit) lines.push(['Merged', `${task.mergeCommit} (${task.mergeStrategy ?? 'merge'})`]);
  const prompt = task.prompt
    .split('\n')
    .map((line) => `  ${line}`.trimEnd())
    .join('\n');
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  return `${lines.map(([label, value]) => label.padEnd(width) + inertLine(value)).join('\n')}\nPrompt\n${prompt}`;
}

/** One line for a task: what `task new`, `stop` and `discard` print. */
export function formatTaskLine(task: Task): string {
  const reason = task.statusReason ? ` (${task.statusReason})` : '';
  return inertLine(`${task.id}  ${task.status}${reason}  ${task.branch}  ${task.title}`);
}

/**
 * Lines after the first, indented: in text Flotilla prints, only Flotilla starts a line at
 * column 0, so a multi-line message or reason cannot print what looks like one of its own
 * lines (`$ cmd   [exit 0]`, `-- checkpoint …`, `flotilla: …`).
 */
export function indentContinuation(text: string, indent = '  '): string {
  return text.replace(/\r?\n/g, `\n${indent}`);
}

/**
 * The whole branch as one unified diff: the files' patches in order, each ending in a
 * newline. Binary files get git's one-line stanza; `notes` says what could not be shown whole.
 */
export function formatDiff(diff: TaskDiff): { text: string; notes: string[] } {
  const notes: string[] = [];
  let text = '';
  for (const file of diff.files) {
    if (file.patch === '') {
      if (file.change !== 'binary') continue;
      const from = file.oldPath ?? file.path;
      text += `diff --git a/${from} b/${file.path}\nBinary files a/${from} and b/${file.path} differ\n`;
      continue;
    }
    text += file.patch.endsWith('\n') ? file.patch : `${file.patch}\n`;
    if (file.isTruncated) notes.push(`the patch of ${file.path} was cut short (too big to send whole)`);
  }
  return { text, notes };
}

/** A task as the CLI's JSON: the contract's fields, with `repo` (its path) near the front. */
export function taskJson(task: Task): Record<string, unknown> {
  const { id, title, status, ...rest } = task;
  return { id, title, repo: task.repoPath, status, ...rest };
}
