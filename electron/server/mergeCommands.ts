import { MergeStrategySchema, type MergeStrategy } from '../../shared/model/task.js';
import { inertLine } from '../../shared/model/inertText.js';
import { formatDiff, formatTask, formatTaskLine, taskJson } from './cliFormat.js';
import { EXIT_OK } from './cliIo.js';
import { arg, type ClientCommand } from './clientCommands.js';
import { printed, replied } from './commandReplies.js';

/** The task commands about a task's result: its diff, merging it, a pull request, undoing a discard. */

/** `task show`: the task, plus (in JSON) the open tasks it is predicted to conflict with. */
export const showCommand: ClientCommand = {
  name: 'task show',
  usage: 'task show ID',
  options: {},
  positionals: ['ID'],
  async run(ctx) {
    return replied(ctx, ctx.client.invoke('tasks.get', { id: arg(ctx, 0) }), async ({ task }) => {
      const predicted = await ctx.client.invoke('tasks.conflicts', {});
      const entry = predicted.ok ? predicted.value.conflicts.find((candidate) => candidate.taskId === task.id) : undefined;
      const conflictsWith = entry?.conflictsWith ?? [];
      const baseConflicts = entry?.baseConflicts ?? [];
      const human = [
        formatTask(task),
        ...(baseConflicts.length > 0 ? [inertLine(`Conflicts with ${task.baseBranch} in ${baseConflicts.join(', ')}`)] : []),
        ...conflictsWith.map((c) => inertLine(`Conflicts with ${c.taskId} in ${c.files.join(', ')}`)),
      ].join('\n');
      return printed(ctx, { ...taskJson(task), conflictsWith, baseConflicts }, human);
    });
  },
};

export const diffCommand: ClientCommand = {
  name: 'task diff',
  usage: 'task diff ID [--turn N] [--stat] [--json]',
  options: { turn: { type: 'string' }, stat: { type: 'boolean' } },
  positionals: ['ID'],
  validate: (values) =>
    values.turn === undefined || /^[1-9][0-9]{0,8}$/.test(String(values.turn)) ? undefined : `--turn must be a turn number (1, 2, …), not '${String(values.turn)}'`,
  async run(ctx) {
    const turn = typeof ctx.values.turn === 'string' ? Number(ctx.values.turn) : undefined;
    const request = { id: arg(ctx, 0), ...(turn !== undefined ? { turn } : {}) };
    return replied(ctx, ctx.client.invoke('tasks.diff', request), ({ diff, uncommitted = [], uncommittedDiff }) => {
      // Uncommitted work's files, each marked, in a list of their own: `files` stays the branch's.
      const uncommittedFiles = (uncommittedDiff?.files ?? []).map((file) => ({ ...file, uncommitted: true as const }));
      if (ctx.isJson) return printed(ctx, { ...diff, uncommitted, uncommittedFiles }, '');
      for (const file of [...diff.files, ...uncommittedFiles]) {
        if (file.sensitive) ctx.io.stderr(inertLine(`flotilla: note: execution-sensitive: ${file.path} (${file.sensitiveReason ?? 'runs code'})`));
      }
      if (uncommitted.length > 0) {
        const shown = uncommittedDiff ? 'their changes follow the branch diff' : 'not in this diff';
        ctx.io.stderr(
          inertLine(`flotilla: note: uncommitted (${shown}; a merge refuses them without --include-uncommitted): ${uncommitted.join(', ')}`),
        );
      }
      if (ctx.values.stat === true) {
        // One line per file (`+adds -dels path`, like `git diff --stat`); spaces, not tabs: inertLine marks a tab.
        const lines = [...diff.files, ...uncommittedFiles].map((file) => {
          const counts = file.change === 'binary' ? 'binary' : `+${file.additions} -${file.deletions}`;
          const marks = `${file.sensitive ? '  (sensitive)' : ''}${'uncommitted' in file ? '  (uncommitted)' : ''}`;
          return inertLine(`${counts.padEnd(14)} ${file.path}${marks}`);
        });
        const additions = diff.files.reduce((n, f) => n + f.additions, 0);
        const deletions = diff.files.reduce((n, f) => n + f.deletions, 0);
        lines.push(`${diff.files.length} files changed, +${additions} -${deletions}`);
        if (uncommittedFiles.length > 0) {
          const more = uncommittedFiles.reduce((n, f) => ({ adds: n.adds + f.additions, dels: n.dels + f.deletions }), { adds: 0, dels: 0 });
          lines.push(`${uncommittedFiles.length} files uncommitted, +${more.adds} -${more.dels}`);
        }
        ctx.io.stdout(lines.join('\n'));
        return EXIT_OK;
      }
      // The branch's patch, then the uncommitted one (tip → worktree): `git apply` takes both in
      // turn, so stdout applied to the merge base gives the worktree as it is.
      const branch = formatDiff(diff);
      const pending = uncommittedDiff ? formatDiff(uncommittedDiff) : { text: '', notes: [] };
      // Notes go to stderr so that stdout stays a patch `git apply` can read.
      for (const note of [...branch.notes, ...pending.notes.map((n) => `${n} (uncommitted)`)]) ctx.io.stderr(inertLine(`flotilla: note: ${note}`));
      const text = branch.text + pending.text;
      // Exact into a file or pipe (`task diff 3 > fix.patch`), inert on a terminal.
      if (text !== '') ctx.io.stdoutExact(text);
      return EXIT_OK;
    });
  },
};

const STRATEGY_DONE: Record<MergeStrategy, string> = {
  merge: 'merge commit; branch kept',
  squash: 'squash; branch deleted',
  rebase: 'rebase; branch deleted',
};

export const mergeCommand: ClientCommand = {
  name: 'task merge',
  usage: 'task merge ID [--strategy merge|squash|rebase] [--message M] [--include-uncommitted] [--approve-protected]',
  options: {
    strategy: { type: 'string' },
    message: { type: 'string' },
    'include-uncommitted': { type: 'boolean' },
    'approve-protected': { type: 'boolean' },
  },
  positionals: ['ID'],
  validate: (values) =>
    values.strategy === undefined || MergeStrategySchema.safeParse(values.strategy).success
      ? undefined
      : `--strategy must be merge, squash or rebase, not '${String(values.strategy)}'`,
  async run(ctx) {
    const strategy = MergeStrategySchema.catch('merge').parse(ctx.values.strategy ?? 'merge');
    const message = typeof ctx.values.message === 'string' ? ctx.values.message : undefined;
    const request = {
      id: arg(ctx, 0),
      strategy,
      includeUncommitted: ctx.values['include-uncommitted'] === true,
      approveProtected: ctx.values['approve-protected'] === true,
      ...(message !== undefined ? { message } : {}),
    };
    return replied(ctx, ctx.client.invoke('tasks.merge', request), ({ task, commit }) =>
      printed(ctx, { ok: true, commit, strategy }, inertLine(`Merged ${task.id} into ${task.baseBranch} as ${commit} (${STRATEGY_DONE[strategy]})`)),
    );
  },
};

export const restoreCommand: ClientCommand = {
  name: 'task restore',
  usage: 'task restore ID   (brings a discarded task back to Review, uncommitted files included)',
  options: {},
  positionals: ['ID'],
  async run(ctx) {
    return replied(ctx, ctx.client.invoke('tasks.restore', { id: arg(ctx, 0) }), ({ task }) =>
      printed(ctx, taskJson(task), `Restored ${formatTaskLine(task)} in ${inertLine(task.worktreePath)}`),
    );
  },
};

export const pullRequestCommand: ClientCommand = {
  name: 'task pr',
  usage: 'task pr ID   (pushes the branch and opens a pull request with gh)',
  options: {},
  positionals: ['ID'],
  async run(ctx) {
    return replied(ctx, ctx.client.invoke('tasks.pullRequest', { id: arg(ctx, 0) }), ({ url, task }) =>
      printed(ctx, { ok: true, url }, inertLine(`Opened a pull request for ${task.branch}: ${url}`)),
    );
  },
};
