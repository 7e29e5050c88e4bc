import { arg, type ClientCommand } from './clientCommands.js';
import { printed, replied } from './commandReplies.js';
import { formatTaskLine, taskJson } from './cliFormat.js';

/** `flotilla task approve ID [--always]` and `flotilla task deny ID [--reason TEXT]`. */
export const APPROVAL_COMMANDS: Record<string, ClientCommand> = {
  approve: {
    name: 'task approve',
    usage: 'task approve ID [--always]   (--always: the same request is approved for the rest of the task)',
    options: { always: { type: 'boolean' } },
    positionals: ['ID'],
    async run(ctx) {
      const scope = ctx.values.always === true ? 'task' : 'once';
      const how = scope === 'task' ? 'for the rest of the task' : 'once';
      return replied(ctx, ctx.client.invoke('tasks.approve', { id: arg(ctx, 0), scope }), ({ task }) =>
        printed(ctx, taskJson(task), `Approved ${how}: ${formatTaskLine(task)}`),
      );
    },
  },
  deny: {
    name: 'task deny',
    usage: 'task deny ID [--reason TEXT]   (the reason goes back to the agent)',
    options: { reason: { type: 'string' } },
    positionals: ['ID'],
    async run(ctx) {
      const reason = typeof ctx.values.reason === 'string' ? ctx.values.reason : undefined;
      return replied(ctx, ctx.client.invoke('tasks.deny', { id: arg(ctx, 0), ...(reason ? { message: reason } : {}) }), ({ task }) =>
        printed(ctx, taskJson(task), `Denied: ${formatTaskLine(task)}`),
      );
    },
  },
};
