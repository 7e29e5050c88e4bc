import './providers.css';

/**
 * The first-run card: with no model provider set up, a task would only fail, so the board says
 * what to do first. Gone as soon as a provider (or OPENAI_* in the host's environment) is there.
 */
export function ProviderSetupCard({ onAddProvider }: { onAddProvider: () => void }) {
  return (
    <section className="provider-setup tone-info" aria-labelledby="provider-setup-title">
      <div className="provider-setup-text">
        <h2 className="provider-setup-title" id="provider-setup-title">
          Set up a model provider
        </h2>
        <p className="provider-setup-body">
          Agents need an OpenAI-compatible endpoint: OpenAI, or a local model served by Ollama, vLLM or LM Studio. Add one, test it, then create a task.
        </p>
      </div>
      <button type="button" className="btn btn-primary" onClick={onAddProvider}>
        Add a provider
      </button>
    </section>
  );
}
