import { failure, type Handlers } from '../../../shared/contract.js';
import type { providerMethods } from '../../../shared/contracts/providers.js';
import type { ProviderProfile } from '../../../shared/model/provider.js';
import { errorMessage } from '../util/errorMessage.js';
import { probeProvider } from './providerProbe.js';
import type { StoredProvider } from './providerProfiles.js';
import { defaultProvider, publicSelection, type ProviderSources } from './providerSelection.js';

type ProviderHandlers = Pick<Handlers, keyof typeof providerMethods>;

/**
 * The provider methods of the host's handler table (shared/contracts/providers.ts). A damaged
 * providers or keys file is an expected failure with its path, not a crash.
 */
export function providerHandlers(deps: ProviderSources & { onDidChange?: () => void }): ProviderHandlers {
  const { profiles, keys } = deps;
  const shown = (profile: StoredProvider): ProviderProfile => ({ ...profile, hasKey: keys.has(profile.name) });
  const changed = () => deps.onDidChange?.();

  return {
    'providers.list': async () => {
      const inEffect = defaultProvider(deps);
      return {
        providers: profiles.list().map(shown),
        defaultProvider: profiles.defaultName(),
        keyStorage: keys.storage(),
        inEffect: publicSelection(inEffect),
      };
    },
    'providers.add': async ({ apiKey, replace, ...profile }) =>
      guarded(() => {
        if (profiles.get(profile.name) && !replace) {
          return failure('conflict', `a provider named "${profile.name}" exists; remove it first, or replace it (flotilla provider add --replace)`);
        }
        // Key first: a profile never points at a key that failed to save.
        if (apiKey !== undefined) keys.set(profile.name, apiKey);
        else if (replace) keys.delete(profile.name);
        profiles.put(profile);
        changed();
        return { ok: true as const, provider: shown(profile) };
      }),
    'providers.remove': async ({ name }) =>
      guarded(() => {
        if (!profiles.get(name)) return failure('not_found', `no provider named "${name}" (see: flotilla provider list)`);
        profiles.remove(name);
        keys.delete(name);
        changed();
        return { ok: true as const };
      }),
    'providers.setDefault': async ({ name }) =>
      guarded(() => {
        if (name !== null && !profiles.get(name)) return failure('not_found', `no provider named "${name}" (see: flotilla provider list)`);
        profiles.setDefault(name);
        changed();
        return { ok: true as const };
      }),
    'providers.test': async ({ name }) => {
      const profile = guarded(() => profiles.get(name) ?? failure('not_found', `no provider named "${name}" (see: flotilla provider list)`));
      if ('ok' in profile) return profile;
      const result = await probeProvider(profile, keys.get(name));
      return result.ok ? { ok: true, model: profile.model, latencyMs: result.latencyMs } : failure('unavailable', `provider "${name}": ${result.reason}`);
    },
  };
}

/** Runs a file-backed step; a file Flotilla cannot read or write becomes one line naming it. */
function guarded<T>(step: () => T): T | ReturnType<typeof failure> {
  try {
    return step();
  } catch (error) {
    return failure('invalid_state', `provider settings could not be used: ${errorMessage(error)}`);
  }
}
