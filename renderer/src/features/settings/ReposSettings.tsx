import { useState, type FormEvent } from 'react';
import type { Repo } from '../../../../shared/model/task.js';
import { useActions, useAppStore, useClient } from '../../appContext.js';
import { FormError } from '../../components/FormError.js';
import { useCall } from '../../components/useCall.js';
import { selectRepos } from '../../state/selectors.js';
import { RepoProtectedPathsForm } from './RepoProtectedPathsForm.js';
import { RepoSandboxForm } from './RepoSandboxForm.js';
import './settings.css';

type RowMode = { type: 'view' } | { type: 'rename' } | { type: 'confirmRemove' };

/**
 * Rename or forget repos, and set what each repo's sandbox allows. Forgetting never touches the
 * folder on disk; the copy says so.
 */
export function ReposSettings() {
  const repos = useAppStore(selectRepos);
  return (
    <section className="settings-section" aria-labelledby="settings-repos-title">
      <h3 className="section-title caps-label" id="settings-repos-title">
        Repos
      </h3>
      {repos.length === 0 ? (
        <p className="muted">No repos yet.</p>
      ) : (
        <ul className="repo-list">
          {repos.map((repo) => (
            <RepoRow key={repo.id} repo={repo} />
          ))}
        </ul>
      )}
      <p className="field-hint">Removing a repo only takes it off Flotilla’s list: the folder, its branches and its history are never touched.</p>
    </section>
  );
}

function RepoRow({ repo }: { repo: Repo }) {
  const client = useClient();
  const { receiveRepo, receiveRepos } = useActions();
  const [mode, setMode] = useState<RowMode>({ type: 'view' });
  const [name, setName] = useState(repo.name);
  const call = useCall();

  const rename = (event: FormEvent) => {
    event.preventDefault();
    void call.run(async () => {
      const result = await client.invoke('repos.rename', { id: repo.id, name });
      if (result.ok) {
        receiveRepo(result.repo);
        setMode({ type: 'view' });
      }
      return result;
    });
  };

  const remove = () =>
    call.run(async () => {
      const result = await client.invoke('repos.remove', { id: repo.id });
      if (!result.ok) return result;
      // The host also announces the new list; this makes the row go at once.
      const { repos } = await client.invoke('repos.list', {});
      receiveRepos(repos);
      return result;
    });

  return (
    <li className="repo-row">
      {mode.type === 'rename' ? (
        <form className="repo-row-main repo-rename" onSubmit={rename}>
          <input
            className="input input-sm"
            aria-label={`New name for ${repo.name}`}
            value={name}
            maxLength={100}
            autoFocus
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.stopPropagation(); // cancel the rename, not the whole dialog
                e.preventDefault();
                setMode({ type: 'view' });
                setName(repo.name);
              }
            }}
          />
          <button type="submit" className="btn" disabled={call.isBusy || name.trim() === ''}>
            Save
          </button>
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => {
              setMode({ type: 'view' });
              setName(repo.name);
            }}
          >
            Cancel
          </button>
        </form>
      ) : (
        <div className="repo-row-main">
          <span className="repo-row-name">{repo.name}</span>
          <span className="repo-row-path mono truncate" title={repo.path}>
            {repo.path}
          </span>
          {mode.type === 'view' && (
            <span className="repo-row-actions">
              <button type="button" className="btn btn-quiet" aria-label={`Rename ${repo.name}`} onClick={() => setMode({ type: 'rename' })}>
                Rename
              </button>
              <button
                type="button"
                className="btn btn-quiet btn-danger-quiet"
                aria-label={`Remove ${repo.name}`}
                onClick={() => setMode({ type: 'confirmRemove' })}
              >
                Remove
              </button>
            </span>
          )}
        </div>
      )}
      {mode.type === 'confirmRemove' && (
        <div className="confirm-strip" role="group" aria-label={`Remove ${repo.name}?`}>
          <span>Remove “{repo.name}” from Flotilla? The folder on disk is not touched.</span>
          <button type="button" className="btn btn-danger" disabled={call.isBusy} onClick={() => void remove()}>
            Remove repo
          </button>
          <button type="button" className="btn" onClick={() => setMode({ type: 'view' })}>
            Keep
          </button>
        </div>
      )}
      <FormError message={call.error} />
      <RepoSandboxForm repo={repo} />
      <RepoProtectedPathsForm repo={repo} />
    </li>
  );
}
