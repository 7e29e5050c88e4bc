import type { TaskDiff } from '../../../shared/model/diff.js';
import type { Task } from '../../../shared/model/task.js';

/** 64 KiB of diff in the first message: most changes fit; the agent reads files for the rest. */
export const REVIEW_DIFF_MAX_BYTES = 64 * 1024;

export const REVIEW_INSTRUCTIONS = [
  'You are a code reviewer. Another agent made the change below in a git worktree of the user\'s repository, which is your current directory.',
  'You may read files with the `shell` tool (one bash command per call, read-only sandbox, no network); you cannot change anything.',
  'Review the change for bugs, security problems, missed requirements of the task and risky edge cases; skip style nits unless they hide a bug.',
  'Answer with one JSON object and nothing else:',
  '{"findings":[{"title":"<= 80 chars","body":"why it is a problem and how to fix it","confidence_score":0.0-1.0,"priority":0-3,',
  '"code_location":{"absolute_file_path":"path of the file (repo-relative or absolute)","line_range":{"start":N,"end":M}}}],',
  '"overall_correctness":"patch is correct" or "patch is incorrect","overall_explanation":"one paragraph","overall_confidence_score":0.0-1.0}.',
  'Priority 0 blocks the change, 1 is urgent, 2 normal, 3 low. Line numbers are of the file as the change left it. No findings: an empty array.',
].join(' ');

/** The review agent's first message: the task's prompt and its diff, capped at REVIEW_DIFF_MAX_BYTES (saying so). */
export function reviewFirstMessage(task: Task, diff: TaskDiff): string {
  const additions = diff.files.reduce((sum, file) => sum + file.additions, 0);
  const deletions = diff.files.reduce((sum, file) => sum + file.deletions, 0);
  const patch = diff.files.map((file) => (file.isTruncated ? `${file.patch}\n[this file's patch was cut; read the file]` : file.patch || `[${file.change}: ${file.path}, no text diff]`)).join('\n');
  const { text, isCut } = capUtf8(patch, REVIEW_DIFF_MAX_BYTES);
  const cutNote = isCut
    ? `\n[The diff was cut at ${REVIEW_DIFF_MAX_BYTES / 1024} KiB of ${Math.ceil(Buffer.byteLength(patch) / 1024)} KiB; read the remaining files in the worktree.]`
    : '';
  return [
    `Review the change of task "${task.title}" (branch ${task.branch} against ${task.baseBranch}: ${diff.files.length} files, +${additions} -${deletions}).`,
    '',
    '# The task the agent was given',
    task.prompt,
    '',
    '# The diff',
    '```diff',
    text,
    '```' + cutNote,
  ].join('\n');
}

/** At most `maxBytes` of UTF-8, cut at a line end when there is one. */
function capUtf8(text: string, maxBytes: number): { text: string; isCut: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, isCut: false };
  // toString drops a split last character as U+FFFD; cutting at the last newline avoids it.
  const head = bytes.subarray(0, maxBytes).toString('utf8');
  const lastNewline = head.lastIndexOf('\n');
  return { text: lastNewline > 0 ? head.slice(0, lastNewline) : head, isCut: true };
}
