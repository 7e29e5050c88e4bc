import { SETTING_KEYS, type SettingKey } from '../../shared/model/settings.js';
import { arg, type ClientCommand } from './clientCommands.js';
import { callFailed, printed, replied } from './commandReplies.js';

const KEY_LIST = SETTING_KEYS.join(', ');

function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as string[]).includes(key);
}

/** `flotilla config …`: the host's settings (stored in FLOTILLA_HOME, never in a repo). */
export const CONFIG_COMMANDS: Record<string, ClientCommand> = {
  list: {
    name: 'config list',
    usage: 'config list',
    options: {},
    positionals: [],
    async run(ctx) {
      return replied(ctx, ctx.client.invoke('settings.get', {}), ({ settings }) => {
        const width = Math.max(...SETTING_KEYS.map((k) => k.length));
        return printed(ctx, settings, SETTING_KEYS.map((k) => `${k.padEnd(width)}  ${String(settings[k])}`).join('\n'));
      });
    },
  },
  get: {
    name: 'config get',
    usage: `config get KEY   (KEY: ${KEY_LIST})`,
    options: {},
    positionals: ['KEY'],
    async run(ctx) {
      const key = arg(ctx, 0);
      if (!isSettingKey(key)) return callFailed(ctx, `unknown setting '${key}' (known: ${KEY_LIST})`);
      return replied(ctx, ctx.client.invoke('settings.get', {}), ({ settings }) => printed(ctx, { [key]: settings[key] }, String(settings[key])));
    },
  },
  set: {
    name: 'config set',
    usage: `config set KEY VALUE   (KEY: ${KEY_LIST})`,
    options: {},
    positionals: ['KEY', 'VALUE'],
    async run(ctx) {
      const key = arg(ctx, 0);
      if (!isSettingKey(key)) return callFailed(ctx, `unknown setting '${key}' (known: ${KEY_LIST})`);
      return replied(ctx, ctx.client.invoke('settings.set', { key, value: arg(ctx, 1) }), ({ settings }) =>
        printed(ctx, settings, `${key} = ${String(settings[key])}`),
      );
    },
  },
};
