import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract.js';
import { useClient } from '../../appContext.js';

/** What the New task dialog sends: '' for the default provider, '' for the provider's model. */
export interface ProviderChoice {
  provider: string;
  model: string;
}

export const DEFAULT_PROVIDER_CHOICE: ProviderChoice = { provider: '', model: '' };

/** `tasks.create`'s provider and model fields for a choice (none when left to the defaults). */
export function providerCreateInput(choice: ProviderChoice): { provider?: string; model?: string } {
  return {
    ...(choice.provider ? { provider: choice.provider } : {}),
    ...(choice.model.trim() ? { model: choice.model.trim() } : {}),
  };
}

/**
 * The New task dialog's provider and model: the default in effect unless the user picks a
 * profile (the task then keeps it whatever the default becomes) or names a model.
 */
export function ProviderFields({ choice, onChange }: { choice: ProviderChoice; onChange: (next: ProviderChoice) => void }) {
  const client = useClient();
  const [listed, setListed] = useState<MethodOutput<'providers.list'> | null>(null);
  useEffect(() => {
    let isCurrent = true;
    client.invoke('providers.list', {}).then(
      (reply) => isCurrent && setListed(reply),
      () => {
        // Without the list the defaults apply, which is what an untouched form sends anyway.
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [client]);
  const providers = listed?.providers ?? [];
  const chosen = providers.find((provider) => provider.name === choice.provider);
  const defaultLabel = listed?.inEffect.provider ? `Default (${listed.inEffect.provider})` : 'Default (environment and settings)';
  const modelPlaceholder = chosen?.model ?? listed?.inEffect.model ?? '';
  return (
    <div className="field-row">
      <label className="field">
        <span className="field-label">Provider</span>
        <select className="input" value={choice.provider} onChange={(e) => onChange({ ...choice, provider: e.target.value })} disabled={providers.length === 0}>
          <option value="">{defaultLabel}</option>
          {providers.map((provider) => (
            <option key={provider.name} value={provider.name}>
              {provider.name} · {provider.model}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">
          Model <span className="field-optional">(optional)</span>
        </span>
        <input
          className="input mono"
          type="text"
          value={choice.model}
          maxLength={200}
          spellCheck={false}
          autoComplete="off"
          placeholder={modelPlaceholder}
          onChange={(e) => onChange({ ...choice, model: e.target.value })}
        />
      </label>
    </div>
  );
}
