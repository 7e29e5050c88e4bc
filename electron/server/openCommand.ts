import { inertLine } from '../../shared/model/inertText.js';
import { resolvePathArgument } from './cliPaths.js';
import type { ClientCommand } from './clientCommands.js';
import { printed, replied } from './commandReplies.js';

/**
 * `flotilla open PATH`: adds the repo at PATH to the running host (desktop app or `flotilla serve`)
 * if it is new, and every open window shows it (`repos.open`, then the windows follow
 * `repos.onDidOpen`). `repo add` only adds.
 */
export const openCommand: ClientCommand = {
  name: 'open',
  usage: 'open PATH',
  options: {},
  positionals: ['PATH'],
  async run(ctx) {
    const [argument = ''] = ctx.positionals;
    return replied(ctx, ctx.client.invoke('repos.open', { path: resolvePathArgument(argument, ctx.io) }), ({ repo }) =>
      printed(ctx, repo, inertLine(`Opened ${repo.name} (${repo.id}) at ${repo.path}`)),
    );
  },
};
