import { inertLine } from '../../shared/model/inertText.js';
import { arg, type ClientCommand } from './clientCommands.js';
import { printed, replied } from './commandReplies.js';

/** `flotilla task instructions ID`: the AGENTS.md files the task's next turn gets, in order. */
export const instructionsCommand: ClientCommand = {
  name: 'task instructions',
  usage: 'task instructions ID   (the AGENTS.md files in effect for its next turn; --json with their text)',
  options: {},
  positionals: ['ID'],
  async run(ctx) {
    return replied(ctx, ctx.client.invoke('tasks.instructions', { id: arg(ctx, 0) }), ({ sources }) => {
      const lines =
        sources.length === 0
          ? ['No AGENTS.md in effect: only Flotilla’s own instructions (add FLOTILLA_HOME/AGENTS.md, or one in the repo).']
          : sources.map((source) => inertLine(`${source.scope === 'global' ? 'global' : 'repo  '}  ${source.path}  ${source.bytes} bytes${source.isTruncated ? ' (cut: 32 KiB for all together)' : ''}`));
      return printed(ctx, sources, lines.join('\n'));
    });
  },
};
