import type { ProviderInEffect, ProviderProfile } from '../../shared/model/provider.js';
import { inertLine } from '../../shared/model/inertText.js';
import { arg, type ClientCommand } from './clientCommands.js';
import { callFailed, printed, replied } from './commandReplies.js';

/**
 * `flotilla provider …`: model provider profiles kept by the host. A key is read from standard
 * input (`--api-key-stdin`), never from the command line, where `ps` and the shell's history
 * would keep it; no command prints one, only whether it is set.
 */
export const PROVIDER_COMMANDS: Record<string, ClientCommand> = {
  add: {
    name: 'provider add',
    usage: 'provider add NAME --base-url URL --api responses|chat --model MODEL [--api-key-stdin] [--replace]',
    options: { 'base-url': { type: 'string' }, api: { type: 'string' }, model: { type: 'string' }, 'api-key-stdin': { type: 'boolean' }, replace: { type: 'boolean' } },
    positionals: ['NAME'],
    required: ['base-url', 'api', 'model'],
    validate: (values) => (values.api === 'responses' || values.api === 'chat' ? undefined : '--api must be responses or chat'),
    async run(ctx) {
      let apiKey: string | undefined;
      if (ctx.values['api-key-stdin'] === true) {
        if (!ctx.io.readStdin) return callFailed(ctx, 'standard input cannot be read here');
        apiKey = (await ctx.io.readStdin()).trim();
        if (apiKey === '') return callFailed(ctx, '--api-key-stdin: standard input was empty; pipe the key in, e.g. `printenv MY_KEY | flotilla provider add …`');
      }
      const input = {
        name: arg(ctx, 0),
        baseURL: String(ctx.values['base-url']),
        api: ctx.values.api === 'chat' ? ('chat' as const) : ('responses' as const),
        model: String(ctx.values.model),
        ...(apiKey !== undefined ? { apiKey } : {}),
        ...(ctx.values.replace === true ? { replace: true } : {}),
      };
      return replied(ctx, ctx.client.invoke('providers.add', input), ({ provider }) =>
        printed(ctx, provider, `Added provider ${describe(provider)}`),
      );
    },
  },
  list: {
    name: 'provider list',
    usage: 'provider list',
    options: {},
    positionals: [],
    async run(ctx) {
      return replied(ctx, ctx.client.invoke('providers.list', {}), (reply) => {
        const rows = reply.providers.map((provider) => `${provider.name === reply.defaultProvider ? '*' : ' '} ${describe(provider)}`);
        const lines = [
          ...(rows.length > 0 ? rows : ['(no providers: add one with `flotilla provider add NAME --base-url URL --api responses|chat --model M --api-key-stdin`)']),
          '',
          `In effect for new tasks: ${inEffectLine(reply.inEffect)}`,
          `Keys are kept ${reply.keyStorage.kind === 'safeStorage' ? "encrypted with the OS keychain (Electron safeStorage)" : 'in a file only you can read (FLOTILLA_HOME/provider-keys.json, mode 0600)'}.`,
          ...(reply.keyStorage.warning ? [`Warning: ${reply.keyStorage.warning}`] : []),
        ];
        return printed(ctx, reply, lines.join('\n'));
      });
    },
  },
  remove: {
    name: 'provider remove',
    usage: 'provider remove NAME',
    options: {},
    positionals: ['NAME'],
    async run(ctx) {
      const name = arg(ctx, 0);
      return replied(ctx, ctx.client.invoke('providers.remove', { name }), (reply) => printed(ctx, reply, inertLine(`Removed provider ${name} and its key`)));
    },
  },
  default: {
    name: 'provider default',
    usage: 'provider default NAME|none',
    options: {},
    positionals: ['NAME'],
    async run(ctx) {
      const given = arg(ctx, 0);
      const name = given === 'none' ? null : given;
      return replied(ctx, ctx.client.invoke('providers.setDefault', { name }), (reply) =>
        printed(ctx, reply, name === null ? 'No default provider: new tasks use OPENAI_BASE_URL / OPENAI_API_KEY / FLOTILLA_MODEL or the settings' : inertLine(`New tasks use provider ${name}`)),
      );
    },
  },
  test: {
    name: 'provider test',
    usage: 'provider test NAME',
    options: {},
    positionals: ['NAME'],
    async run(ctx) {
      const name = arg(ctx, 0);
      return replied(ctx, ctx.client.invoke('providers.test', { name }), (reply) =>
        printed(ctx, reply, inertLine(`Provider ${name} answered with model ${reply.model} in ${reply.latencyMs} ms`)),
      );
    },
  },
};

function describe(provider: ProviderProfile): string {
  return inertLine(`${provider.name}  ${provider.api}  ${provider.baseURL}  model ${provider.model}  key ${provider.hasKey ? 'set' : 'not set'}`);
}

function inEffectLine(inEffect: ProviderInEffect): string {
  const from = (source: string | null) => (source === null ? 'none' : source);
  const endpoint = inEffect.baseURL ?? 'the OpenAI default endpoint';
  const name = inEffect.provider ? `provider ${inEffect.provider}, ` : '';
  return inertLine(
    `${name}${inEffect.api} API at ${endpoint} (from ${from(inEffect.sources.baseURL)}), model ${inEffect.model} (from ${from(inEffect.sources.model)}), key ${inEffect.hasKey ? `set (from ${from(inEffect.sources.apiKey)})` : 'not set'}`,
  );
}
