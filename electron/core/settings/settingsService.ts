import { failure, type Failure } from '../../../shared/contract.js';
import { DEFAULT_SETTINGS, SETTING_SCHEMAS, type SettingKey, type Settings } from '../../../shared/model/settings.js';
import type { HostEventBus } from '../hostEvents.js';
import type { SettingsStore } from '../store/settingsStore.js';

/** Settings with their defaults; `set` validates the text a user typed and announces the change. */
export class SettingsService {
  constructor(private readonly deps: { store: SettingsStore; events: HostEventBus }) {}

  get(): Settings {
    const stored = (key: SettingKey) => this.deps.store.get(key);
    const parsed = <K extends SettingKey>(key: K): Settings[K] => {
      const raw = stored(key);
      if (raw === undefined) return DEFAULT_SETTINGS[key];
      const result = SETTING_SCHEMAS[key].safeParse(raw);
      // A value written by a newer or older Flotilla that no longer parses falls back to the default.
      return result.success ? (result.data as Settings[K]) : DEFAULT_SETTINGS[key];
    };
    return {
      maxRunning: parsed('maxRunning'),
      model: parsed('model'),
      baseURL: parsed('baseURL'),
      commandTimeoutMs: parsed('commandTimeoutMs'),
      defaultSandbox: parsed('defaultSandbox'),
      defaultNetwork: parsed('defaultNetwork'),
      defaultApproval: parsed('defaultApproval'),
      terminalScrollback: parsed('terminalScrollback'),
      archiveRetentionDays: parsed('archiveRetentionDays'),
      historyRetentionDays: parsed('historyRetentionDays'),
      historyRetentionMB: parsed('historyRetentionMB'),
      secretEnvVars: parsed('secretEnvVars'),
    };
  }

  set(key: SettingKey, value: string): { ok: true; settings: Settings } | Failure {
    const result = SETTING_SCHEMAS[key].safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      return failure('invalid_input', `${key}: ${issue?.message ?? 'invalid value'} (got "${value}")`);
    }
    this.deps.store.set(key, String(result.data));
    const settings = this.get();
    this.deps.events.emit('settings.onDidChange', { settings });
    return { ok: true, settings };
  }
}
