import type { Repo } from '../../shared/model/task.js';
import { arg, callFailed, expectedFailure, printed, type ClientCommand } from './clientCommands.js';

/**
 * `flotilla repo config ID [--setup S] [--cleanup S] [--copy F,G] [--base B | --no-base]`:
 * per-repo settings, stored in FLOTILLA_HOME. With no option it prints them.
 */
export const repoConfigCommand: ClientCommand = {
  name: 'repo config',
  usage: 'repo config ID [--setup SCRIPT] [--cleanup SCRIPT] [--copy FILE,FILE…] [--base BRANCH | --no-base]',
  options: {
    setup: { type: 'string' },
    cleanup: { type: 'string' },
    copy: { type: 'string' },
    base: { type: 'string' },
    'no-base': { type: 'boolean' },
  },
  positionals: ['ID'],
  validate: (values) => (typeof values.base === 'string' && values['no-base'] === true ? '--base and --no-base cannot go together' : undefined),
  async run(ctx) {
    const { values } = ctx;
    const id = arg(ctx, 0);
    const changes = {
      ...(typeof values.setup === 'string' ? { setupScript: values.setup } : {}),
      ...(typeof values.cleanup === 'string' ? { cleanupScript: values.cleanup } : {}),
      ...(typeof values.copy === 'string' ? { copyFiles: splitList(values.copy) } : {}),
      ...(typeof values.base === 'string' ? { baseBranch: values.base } : {}),
      ...(values['no-base'] === true ? { baseBranch: null } : {}),
    };
    if (Object.keys(changes).length === 0) {
      const reply = await ctx.client.invoke('repos.list', {});
      if (!reply.ok) return callFailed(ctx, reply.message);
      const repo = reply.value.repos.find((r) => r.id === id);
      if (!repo) return callFailed(ctx, `no repo with id "${id}"`);
      return printed(ctx, repo.settings, formatSettings(repo));
    }
    const reply = await ctx.client.invoke('repos.configure', { id, ...changes });
    if (!reply.ok) return callFailed(ctx, reply.message);
    if (!reply.value.ok) return expectedFailure(ctx, reply.value);
    return printed(ctx, reply.value.repo.settings, formatSettings(reply.value.repo));
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
    `  base branch   ${settings.baseBranch ?? `(the checked-out branch; ${repo.defaultBranch} when added)`}`,
    `  setup script  ${settings.setupScript || '(none)'}`,
    `  cleanup       ${settings.cleanupScript || '(none)'}`,
    `  copy files    ${settings.copyFiles.join(', ') || '(none)'}`,
  ].join('\n');
}
