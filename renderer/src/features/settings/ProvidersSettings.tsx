import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { MethodOutput } from '../../../../shared/contract.js';
import type { ProviderApi, ProviderInEffect, ProviderProfile, ValueSource } from '../../../../shared/model/provider.js';
import { useClient } from '../../appContext.js';
import { FormError } from '../../components/FormError.js';
import { useCall } from '../../components/useCall.js';
import { errorMessage } from '../../state/startSync.js';
import './providers.css';

type ProvidersReply = MethodOutput<'providers.list'>;
type Loaded = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; reply: ProvidersReply };

const SOURCE_WORDS: Record<ValueSource, string> = {
  profile: 'from the provider',
  environment: 'from the environment',
  setting: 'from the settings',
  default: 'the default',
};

/**
 * Settings → Providers: the OpenAI-compatible endpoints new tasks can use, which one is the
 * default, what a new task would run with and where each value comes from. Keys go to the host
 * and never come back: the page only knows whether one is set.
 */
export function ProvidersSettings() {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const reload = useCallback(async () => {
    try {
      setLoaded({ status: 'ready', reply: await client.invoke('providers.list', {}) });
    } catch (error) {
      setLoaded({ status: 'error', message: errorMessage(error) });
    }
  }, [client]);
  useEffect(() => void reload(), [reload]);

  return (
    <section className="settings-section" aria-labelledby="settings-providers-title">
      <h3 className="section-title caps-label" id="settings-providers-title">
        Model providers
      </h3>
      {loaded.status === 'loading' && <p className="muted">Loading providers…</p>}
      {loaded.status === 'error' && <FormError message={`Could not load providers: ${loaded.message}`} />}
      {loaded.status === 'ready' && (
        <>
          <InEffect inEffect={loaded.reply.inEffect} />
          {loaded.reply.keyStorage.warning && (
            <p className="field-hint field-warning provider-key-warning" role="note">
              Keys: {loaded.reply.keyStorage.warning}.
            </p>
          )}
          {loaded.reply.providers.length === 0 ? (
            <p className="muted">No providers yet: new tasks use OPENAI_BASE_URL, OPENAI_API_KEY and FLOTILLA_MODEL from the environment, else the defaults.</p>
          ) : (
            <ul className="provider-list" aria-label="Providers">
              {loaded.reply.providers.map((provider) => (
                <ProviderRow key={provider.name} provider={provider} isDefault={provider.name === loaded.reply.defaultProvider} onChange={reload} />
              ))}
            </ul>
          )}
          <AddProviderForm onAdded={reload} isFirst={loaded.reply.providers.length === 0} />
        </>
      )}
    </section>
  );
}

function InEffect({ inEffect }: { inEffect: ProviderInEffect }) {
  const key = inEffect.hasKey ? `set (${SOURCE_WORDS[inEffect.sources.apiKey ?? 'default']})` : 'not set';
  return (
    <dl className="provider-in-effect" aria-label="What new tasks use">
      <dt>Provider</dt>
      <dd>{inEffect.provider ?? 'none (environment and settings)'}</dd>
      <dt>Endpoint</dt>
      <dd>
        <span className="mono">{inEffect.baseURL ?? 'https://api.openai.com/v1'}</span> · {inEffect.api === 'chat' ? 'Chat Completions' : 'Responses'} API ·{' '}
        <span className="muted">{SOURCE_WORDS[inEffect.sources.baseURL]}</span>
      </dd>
      <dt>Model</dt>
      <dd>
        <span className="mono">{inEffect.model}</span> · <span className="muted">{SOURCE_WORDS[inEffect.sources.model]}</span>
      </dd>
      <dt>Key</dt>
      <dd>{key}</dd>
    </dl>
  );
}

function ProviderRow({ provider, isDefault, onChange }: { provider: ProviderProfile; isDefault: boolean; onChange: () => Promise<void> }) {
  const client = useClient();
  const call = useCall();
  const [tested, setTested] = useState<string | null>(null);
  const act = (step: () => Promise<{ ok: true } | { ok: false; message: string }>) =>
    void call.run(async () => {
      setTested(null);
      const result = await step();
      if (result.ok) await onChange();
      return result;
    });
  const test = () =>
    void call.run(async () => {
      setTested(null);
      const result = await client.invoke('providers.test', { name: provider.name });
      if (result.ok) setTested(`Answered in ${result.latencyMs} ms.`);
      return result;
    });
  return (
    <li className="provider-row">
      <div className="provider-row-main">
        <span className="provider-name">
          {provider.name}
          {isDefault && <span className="provider-default-badge">default</span>}
        </span>
        <span className="provider-detail mono">
          {provider.api} · {provider.baseURL} · {provider.model}
        </span>
        <span className={provider.hasKey ? 'provider-detail' : 'provider-detail muted'}>{provider.hasKey ? 'Key set' : 'No key'}</span>
      </div>
      <div className="provider-row-actions">
        <button type="button" className="btn btn-sm" disabled={call.isBusy} onClick={test} aria-label={`Test ${provider.name}`}>
          Test
        </button>
        {!isDefault && (
          <button
            type="button"
            className="btn btn-sm"
            disabled={call.isBusy}
            onClick={() => act(() => client.invoke('providers.setDefault', { name: provider.name }))}
            aria-label={`Make ${provider.name} the default`}
          >
            Make default
          </button>
        )}
        <button
          type="button"
          className="btn btn-sm btn-danger-quiet"
          disabled={call.isBusy}
          onClick={() => act(() => client.invoke('providers.remove', { name: provider.name }))}
          aria-label={`Remove ${provider.name}`}
        >
          Remove
        </button>
      </div>
      <span className="form-note provider-test-result" role="status">
        {call.isBusy ? 'Working…' : tested ?? ''}
      </span>
      <FormError message={call.error} />
    </li>
  );
}

function AddProviderForm({ onAdded, isFirst }: { onAdded: () => Promise<void>; isFirst: boolean }) {
  const client = useClient();
  const call = useCall();
  const ids = { name: useId(), url: useId(), api: useId(), model: useId(), key: useId() };
  const [name, setName] = useState('');
  const [baseURL, setBaseURL] = useState('');
  const [api, setApi] = useState<ProviderApi>('responses');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim() === '' || baseURL.trim() === '' || model.trim() === '') {
      call.setError('Name, base URL and model are needed.');
      return;
    }
    const result = await call.run(() =>
      client.invoke('providers.add', { name: name.trim(), baseURL: baseURL.trim(), api, model: model.trim(), ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}) }),
    );
    if (!result.ok) return;
    setName('');
    setBaseURL('');
    setModel('');
    setApiKey('');
    await onAdded();
  }

  return (
    <form className="provider-add" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a provider">
      <div className="field-row">
        <div className="field">
          <label className="field-label" htmlFor={ids.name}>
            Name
          </label>
          <input id={ids.name} className="input" spellCheck={false} placeholder="ollama" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.api}>
            API
          </label>
          <select id={ids.api} className="input" value={api} onChange={(e) => setApi(e.target.value === 'chat' ? 'chat' : 'responses')}>
            <option value="responses">Responses (OpenAI)</option>
            <option value="chat">Chat Completions (Ollama, vLLM, LM Studio)</option>
          </select>
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label className="field-label" htmlFor={ids.url}>
            Base URL
          </label>
          <input id={ids.url} className="input mono" spellCheck={false} placeholder="http://localhost:11434/v1" value={baseURL} onChange={(e) => setBaseURL(e.target.value)} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.model}>
            Model
          </label>
          <input id={ids.model} className="input mono" spellCheck={false} placeholder="qwen2.5-coder" value={model} onChange={(e) => setModel(e.target.value)} />
        </div>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={ids.key}>
          API key (optional)
        </label>
        <input id={ids.key} className="input mono" type="password" autoComplete="off" spellCheck={false} value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
        <span className="field-hint">Kept by Flotilla’s host, encrypted where the OS offers a keychain; never shown again.</span>
      </div>
      <FormError message={call.error} />
      <div className="form-actions">
        <span className="form-note">{isFirst ? 'The first provider becomes the default.' : ''}</span>
        <button type="submit" className="btn" disabled={call.isBusy} aria-busy={call.isBusy}>
          Add provider
        </button>
      </div>
    </form>
  );
}
