import { SETTING_KEYS, type SettingKey } from '../../shared/model/settings.js';
import { arg, callFailed, expectedFailure, printed, type ClientCommand } from './clientCommands.js';

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
      const reply = await ctx.client.invoke('settings.get', {});
      if (!reply.ok) return callFailed(ctx, reply.message);
      const { settings } = reply.value;
      const width = Math.max(...SETTING_KEYS.map((k) => k.length));
      return printed(ctx, settings, SETTING_KEYS.map((k) => `${k.padEnd(width)}  ${String(settings[k])}`).join('\n'));
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
      const reply = await ctx.client.invoke('settings.get', {});
      if (!reply.ok) return callFailed(ctx, reply.message);
      const value = reply.value.settings[key];
      return printed(ctx, { [key]: value }, String(value));
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
      const reply = await ctx.client.invoke('settings.set', { key, value: arg(ctx, 1) });
      if (!reply.ok) return callFailed(ctx, reply.message);
      if (!reply.value.ok) return expectedFailure(ctx, reply.value);
      return printed(ctx, reply.value.settings, `${key} = ${String(reply.value.settings[key])}`);
    },
  },
};
