import { useEffect, useState } from 'react';
import type { ContractClient } from '../../../../shared/contract.js';
import type { ProviderInEffect } from '../../../../shared/model/provider.js';

/**
 * Whether nothing tells the agent where a model is: no provider profile, no endpoint and no key
 * from the environment or the settings. Then the first task would fail on its first call, so the
 * board asks for a provider instead. null until known.
 */
export function useNeedsProviderSetup(client: ContractClient): boolean | null {
  const [inEffect, setInEffect] = useState<ProviderInEffect | null>(null);
  useEffect(() => {
    let isCurrent = true;
    client.invoke('providers.list', {}).then(
      (reply) => isCurrent && setInEffect(reply.inEffect),
      () => {
        // Advisory: a failed call is visible elsewhere (the connection banner).
      },
    );
    const unsubscribe = client.on('providers.onDidChange', (event) => setInEffect(event.inEffect));
    return () => {
      isCurrent = false;
      unsubscribe();
    };
  }, [client]);
  return inEffect === null ? null : isUnconfigured(inEffect);
}

export function isUnconfigured(inEffect: ProviderInEffect): boolean {
  return inEffect.provider === null && inEffect.sources.baseURL === 'default' && !inEffect.hasKey;
}
