import type { Repo } from '../../shared/model/task.js';
import { arg, type ClientCommand } from './clientCommands.js';
import { callFailed, printed, replied } from './commandReplies.js';

/**
 * `flotilla repo config ID [--setup S] [--cleanup S] [--copy F,G] [--base B | --no-base]
 * [--script-network on|off] [--home-path P,Q] [--unix-socket P,Q] [--protect GLOB,GLOB]`: per-repo settings, stored in
 * FLOTILLA_HOME. A list option replaces the whole list (`''` clears it). With no option it prints them.
 */
export const repoConfigCommand: ClientCommand = {
  name: 'repo config',
  usage:
    'repo config ID [--setup SCRIPT] [--cleanup SCRIPT] [--copy FILE,FILE…] [--base BRANCH | --no-base] ' +
    '[--script-network on|off] [--home-path PATH,PATH…] [--unix-socket PATH,PATH…] [--protect GLOB,GLOB…]',
  options: {
    setup: { type: 'string' },
    cleanup: { type: 'string' },
    copy: { type: 'string' },
    base: { type: 'string' },
    'no-base': { type: 'boolean' },
    'script-network': { type: 'string' },
    'home-path': { type: 'string' },
    'unix-socket': { type: 'string' },
    protect: { type: 'string' },
  },
  positionals: ['ID'],
  validate: (values) => {
    if (typeof values.base === 'string' && values['no-base'] === true) return '--base and --no-base cannot go together';
    const network = values['script-network'];
    if (typeof network === 'string' && network !== 'on' && network !== 'off') return '--script-network must be on or off';
    return undefined;
  },
  async run(ctx) {
    const { values } = ctx;
    const id = arg(ctx, 0);
    const changes = {
      ...(typeof values.setup === 'string' ? { setupScript: values.setup } : {}),
      ...(typeof values.cleanup === 'string' ? { cleanupScript: values.cleanup } : {}),
      ...(typeof values.copy === 'string' ? { copyFiles: splitList(values.copy) } : {}),
      ...(typeof values.base === 'string' ? { baseBranch: values.base } : {}),
      ...(values['no-base'] === true ? { baseBranch: null } : {}),
      ...(typeof values['script-network'] === 'string' ? { scriptNetwork: values['script-network'] === 'on' } : {}),
      ...(typeof values['home-path'] === 'string' ? { homeReadOnlyPaths: splitList(values['home-path']) } : {}),
      ...(typeof values['unix-socket'] === 'string' ? { unixSockets: splitList(values['unix-socket']) } : {}),
      ...(typeof values.protect === 'string' ? { protectedPaths: splitList(values.protect) } : {}),
    };
    if (Object.keys(changes).length === 0) {
      return replied(ctx, ctx.client.invoke('repos.list', {}), ({ repos }) => {
        const repo = repos.find((r) => r.id === id);
        if (!repo) return callFailed(ctx, `no repo with id "${id}"`);
        return printed(ctx, repo.settings, formatSettings(repo));
      });
    }
    return replied(ctx, ctx.client.invoke('repos.configure', { id, ...changes }), ({ repo }) => printed(ctx, repo.settings, formatSettings(repo)));
  },
};

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function formatSettings(repo: Repo): string {
  const { settings } = repo;
  return [
    `${repo.name} (${repo.id})`,
    `  base branch     ${settings.baseBranch ?? `(the checked-out branch; ${repo.defaultBranch} when added)`}`,
    `  setup script    ${settings.setupScript || '(none)'}`,
    `  cleanup         ${settings.cleanupScript || '(none)'}`,
    `  copy files      ${settings.copyFiles.join(', ') || '(none)'}`,
    `  script network  ${settings.scriptNetwork ? 'on (setup and cleanup scripts may use the network)' : 'off (setup and cleanup scripts run without network)'}`,
    `  home paths      ${settings.homeReadOnlyPaths.join(', ') || '(none: nothing of your home is shown)'}`,
    `  host sockets    ${settings.unixSockets.join(', ') || '(none)'}`,
    `  protected paths ${settings.protectedPaths?.join(', ') || '(none: every change merges without an extra approval)'}`,
  ].join('\n');
}
