import { resolvePathArgument } from './cliPaths.js';
import { arg, type ClientCommand } from './clientCommands.js';
import { printed, replied } from './commandReplies.js';

/** `flotilla worktrees list` and `flotilla worktrees remove PATH [--force]`: disk used by task worktrees. */
export const WORKTREE_COMMANDS: Record<string, ClientCommand> = {
  list: {
    name: 'worktrees list',
    usage: 'worktrees list   (disk used by task worktrees, largest first)',
    options: {},
    positionals: [],
    async run(ctx) {
      return replied(ctx, ctx.client.invoke('worktrees.usage', {}), ({ worktrees }) => {
        const total = worktrees.reduce((sum, w) => sum + w.bytes, 0);
        const lines = worktrees.map(
          (w) => `${formatBytes(w.bytes).padStart(9)}  ${w.taskId ? `${w.taskId} (${w.taskStatus})` : 'no task'.padEnd(8)}  ${w.path}${uncommittedNote(w.uncommitted)}`,
        );
        return printed(ctx, worktrees, [...lines, `${formatBytes(total).padStart(9)}  in ${worktrees.length} worktree(s)`].join('\n'));
      });
    },
  },
  remove: {
    name: 'worktrees remove',
    usage: 'worktrees remove PATH [--force]   (a folder no live task uses; --force: even with uncommitted changes)',
    options: { force: { type: 'boolean' } },
    positionals: ['PATH'],
    async run(ctx) {
      const folder = resolvePathArgument(arg(ctx, 0), ctx.io);
      return replied(ctx, ctx.client.invoke('worktrees.remove', { path: folder, confirmUncommitted: ctx.values.force === true }), () =>
        printed(ctx, { ok: true }, `Removed ${folder}`),
      );
    },
  },
};

/** "" when clean; "  (3 uncommitted)"; "  (not inspected: why)" when git could not tell. */
function uncommittedNote(uncommitted: { count: number; error: string | null }): string {
  if (uncommitted.error !== null) return `  (not inspected: ${uncommitted.error})`;
  return uncommitted.count > 0 ? `  (${uncommitted.count} uncommitted)` : '';
}

/** 1536 → "1.5 KB": decimal-ish units a person reads at a glance. */
function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
