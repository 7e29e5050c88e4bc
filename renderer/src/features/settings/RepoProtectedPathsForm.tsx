import { useId, useState, type FormEvent } from 'react';
import type { Repo } from '../../../../shared/model/task.js';
import { useActions, useClient } from '../../appContext.js';
import { FormError } from '../../components/FormError.js';
import { useCall } from '../../components/useCall.js';
import { planProtectedPathsSave } from './settingsForm.js';
import './settings.css';

const listText = (repo: Repo): string => (repo.settings.protectedPaths ?? []).join('\n');

/**
 * A repo's "Protected paths": globs of files a task may not merge without the user's explicit
 * approval. Kept in Flotilla's settings (never read from the repo, which the agent writes); the
 * host compiles each glob and an invalid one refuses the save with its reason, keeping what was typed.
 */
export function RepoProtectedPathsForm({ repo }: { repo: Repo }) {
  const client = useClient();
  const { receiveRepo } = useActions();
  const call = useCall();
  const ids = { field: useId(), hint: useId(), error: useId() };
  const [text, setText] = useState(() => listText(repo));
  const [seen, setSeen] = useState(repo.settings);
  const [isSaved, setIsSaved] = useState(false);

  // Changed elsewhere (the CLI, another window): take the new list unless it is being edited.
  if (repo.settings !== seen) {
    if (text === (seen.protectedPaths ?? []).join('\n')) setText(listText(repo));
    setSeen(repo.settings);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const protectedPaths = planProtectedPathsSave(text, repo.settings);
    if (protectedPaths === null) {
      setIsSaved(true);
      return;
    }
    const result = await call.run(() => client.invoke('repos.configure', { id: repo.id, protectedPaths }));
    if (!result.ok) return;
    receiveRepo(result.repo);
    setSeen(result.repo.settings);
    setText(listText(result.repo));
    setIsSaved(true);
  }

  return (
    <form className="repo-sandbox" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="repo-sandbox-fields" aria-label={`Protected paths for ${repo.name}`}>
        <legend className="repo-sandbox-legend caps-label">Protected paths</legend>
        <div className="field">
          <label className="field-label" htmlFor={ids.field}>
            Files a merge needs your approval for
          </label>
          <textarea
            id={ids.field}
            className="input textarea mono repo-sandbox-paths"
            rows={2}
            spellCheck={false}
            placeholder="e.g. .github/workflows/**, infra/, *.lock"
            value={text}
            aria-invalid={call.error !== null}
            aria-describedby={call.error !== null ? `${ids.error} ${ids.hint}` : ids.hint}
            onChange={(e) => {
              setText(e.target.value);
              setIsSaved(false);
            }}
          />
          <p className="field-hint" id={ids.hint}>
            Globs, comma- or newline-separated; kept by Flotilla, never read from the repo.
          </p>
        </div>
        <FormError id={ids.error} message={call.error} />
        <div className="repo-sandbox-actions">
          <span className="form-note repo-protected-note" role="status">
            {isSaved ? 'Saved.' : ''}
          </span>
          <button type="submit" className="btn" disabled={call.isBusy} aria-busy={call.isBusy}>
            Save protected paths
          </button>
        </div>
      </fieldset>
    </form>
  );
}
