import { failure, type Failure } from '../../../shared/contracts/failure.js';
import { DEFAULT_SETTINGS } from '../../../shared/model/settings.js';
import type { ProviderInEffect, ValueSource } from '../../../shared/model/provider.js';
import type { KeyVault } from './keyVault.js';
import type { ProviderProfiles, StoredProvider } from './providerProfiles.js';

/** What a turn calls: the provider in effect plus its key (host-side only, never in a reply). */
export interface ProviderSelection extends ProviderInEffect {
  apiKey: string | null;
}

export interface ProviderSources {
  profiles: ProviderProfiles;
  keys: KeyVault;
  env: NodeJS.ProcessEnv;
  /** The stored `model` and `baseURL` settings ('' baseURL: none). */
  settings: () => { model: string; baseURL: string };
}

/**
 * Which provider a task runs with, in this order: the profile it names (`task new --provider`),
 * the default profile, then the implicit one from the environment (`OPENAI_BASE_URL`,
 * `OPENAI_API_KEY`, `FLOTILLA_MODEL`: how scripts and tests pin one) over the stored settings.
 * `model` (`task new --model`) wins over the provider's model. Only a named profile can be
 * missing (a damaged providers.json throws, naming the file).
 */
export function selectProvider(sources: ProviderSources, wanted: { provider?: string | null; model?: string | null } = {}): ProviderSelection | Failure {
  if (wanted.provider == null) return defaultProvider(sources, wanted.model);
  const profile = sources.profiles.get(wanted.provider);
  if (!profile) return failure('not_found', `no provider named "${wanted.provider}" (see: flotilla provider list)`);
  return fromProfile(sources, profile, wanted.model);
}

/** The default profile, else the implicit provider (environment over settings). */
export function defaultProvider(sources: ProviderSources, model?: string | null): ProviderSelection {
  const name = sources.profiles.defaultName();
  const profile = name === null ? undefined : sources.profiles.get(name);
  if (profile) return fromProfile(sources, profile, model);
  const stored = sources.settings();
  const { env } = sources;
  const apiKey = env.OPENAI_API_KEY || null;
  const modelSource: ValueSource = model ? 'setting' : env.FLOTILLA_MODEL ? 'environment' : stored.model !== DEFAULT_SETTINGS.model ? 'setting' : 'default';
  return {
    provider: null,
    baseURL: env.OPENAI_BASE_URL || stored.baseURL || null,
    api: 'responses',
    model: model || env.FLOTILLA_MODEL || stored.model,
    hasKey: apiKey !== null,
    apiKey,
    sources: {
      baseURL: env.OPENAI_BASE_URL ? 'environment' : stored.baseURL ? 'setting' : 'default',
      model: modelSource,
      apiKey: apiKey === null ? null : 'environment',
    },
  };
}

function fromProfile(sources: ProviderSources, profile: StoredProvider, model?: string | null): ProviderSelection {
  const apiKey = sources.keys.get(profile.name);
  return {
    provider: profile.name,
    baseURL: profile.baseURL,
    api: profile.api,
    model: model || profile.model,
    hasKey: apiKey !== null,
    apiKey,
    sources: { baseURL: 'profile', model: model ? 'setting' : 'profile', apiKey: apiKey === null ? null : 'profile' },
  };
}

/** The selection without its key: what may be shown. */
export function publicSelection(selection: ProviderSelection): ProviderInEffect {
  const { apiKey: _key, ...shown } = selection;
  return shown;
}
