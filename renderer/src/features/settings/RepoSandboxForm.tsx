import { useId, useState, type FormEvent } from 'react';
import type { Repo, RepoSettings } from '../../../../shared/model/task.js';
import { useActions, useClient } from '../../appContext.js';
import { FormError } from '../../components/FormError.js';
import { errorMessage } from '../../state/startSync.js';
import { planRepoSandboxSave, refusedLists, repoSandboxDraftOf, type RepoSandboxDraft } from './settingsForm.js';
import './settings.css';

type SaveState = { status: 'idle' } | { status: 'saving' } | { status: 'saved' } | { status: 'failed'; message: string };

/**
 * A repo's "Sandbox" group: whether its setup and cleanup scripts get network, the paths of the
 * user's home its commands may read, and the host sockets they may connect to. The host checks
 * the paths (and expands `~/`); a refusal keeps what was typed and names each bad entry.
 */
export function RepoSandboxForm({ repo }: { repo: Repo }) {
  const client = useClient();
  const { receiveRepo } = useActions();
  const ids = {
    network: useId(),
    networkHint: useId(),
    home: useId(),
    homeHint: useId(),
    sockets: useId(),
    socketsHint: useId(),
    socketsWarning: useId(),
    error: useId(),
  };
  const [draft, setDraft] = useState<RepoSandboxDraft>(() => repoSandboxDraftOf(repo.settings));
  const [saved, setSaved] = useState<RepoSettings>(repo.settings);
  const [save, setSave] = useState<SaveState>({ status: 'idle' });

  // Changed elsewhere (the CLI, another window): take the new values of the fields not being
  // edited. (State adjusted while rendering, as React recommends for state following a prop.)
  if (repo.settings !== saved) {
    const before = repoSandboxDraftOf(saved);
    const after = repoSandboxDraftOf(repo.settings);
    setSaved(repo.settings);
    setDraft((d) => ({
      scriptNetwork: d.scriptNetwork === before.scriptNetwork ? after.scriptNetwork : d.scriptNetwork,
      homePaths: d.homePaths === before.homePaths ? after.homePaths : d.homePaths,
      unixSockets: d.unixSockets === before.unixSockets ? after.unixSockets : d.unixSockets,
    }));
  }

  const edit = (patch: Partial<RepoSandboxDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (save.status !== 'failed') setSave({ status: 'idle' });
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const changes = planRepoSandboxSave(draft, saved);
    if (Object.keys(changes).length === 0) {
      setSave({ status: 'saved' });
      return;
    }
    setSave({ status: 'saving' });
    try {
      const result = await client.invoke('repos.configure', { id: repo.id, ...changes });
      if (!result.ok) {
        setSave({ status: 'failed', message: result.message });
        return;
      }
      // As stored: `~/x` comes back absolute, so what is shown is what commands get.
      setSaved(result.repo.settings);
      setDraft(repoSandboxDraftOf(result.repo.settings));
      receiveRepo(result.repo);
      setSave({ status: 'saved' });
    } catch (e) {
      setSave({ status: 'failed', message: errorMessage(e) });
    }
  }

  const refused = save.status === 'failed' ? refusedLists(save.message) : { homePaths: false, unixSockets: false };
  const describedBy = (hint: string, isRefused: boolean) => (isRefused ? `${ids.error} ${hint}` : hint);
  return (
    <form className="repo-sandbox" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset className="repo-sandbox-fields" aria-label={`Sandbox settings for ${repo.name}`}>
        <legend className="repo-sandbox-legend caps-label">Sandbox</legend>
        <label className="check-row check-row-field">
          <input
            id={ids.network}
            type="checkbox"
            checked={draft.scriptNetwork}
            aria-describedby={ids.networkHint}
            onChange={(e) => edit({ scriptNetwork: e.target.checked })}
          />
          <span>Setup and cleanup scripts may use the network</span>
          <span className="field-optional" id={ids.networkHint}>
            {draft.scriptNetwork ? '— they share the host’s network (npm ci, pip install…)' : '— off: they run in the task’s sandbox without network'}
          </span>
        </label>
        <div className="field-row repo-sandbox-lists">
          <div className="field">
            <label className="field-label" htmlFor={ids.home}>
              Readable from your home (read-only)
            </label>
            <textarea
              id={ids.home}
              className="input textarea mono repo-sandbox-paths"
              rows={2}
              spellCheck={false}
              placeholder="e.g. ~/.gitconfig"
              value={draft.homePaths}
              aria-invalid={refused.homePaths}
              aria-describedby={describedBy(ids.homeHint, refused.homePaths)}
              onChange={(e) => edit({ homePaths: e.target.value })}
            />
            <p className="field-hint" id={ids.homeHint}>
              One path per line; credential folders (~/.ssh…) stay hidden.
            </p>
          </div>
          <div className="field">
            <label className="field-label" htmlFor={ids.sockets}>
              Host sockets commands may connect to
            </label>
            <textarea
              id={ids.sockets}
              className="input textarea mono repo-sandbox-paths"
              rows={2}
              spellCheck={false}
              placeholder="e.g. /var/run/docker.sock"
              value={draft.unixSockets}
              aria-invalid={refused.unixSockets}
              aria-describedby={describedBy(`${ids.socketsHint} ${ids.socketsWarning}`, refused.unixSockets)}
              onChange={(e) => edit({ unixSockets: e.target.value })}
            />
            <p className="field-hint" id={ids.socketsHint}>
              One path per line.
            </p>
          </div>
        </div>
        <FormError id={ids.error} message={save.status === 'failed' ? save.message : null} />
        <div className="repo-sandbox-actions">
          {/* Under both lists, on one line: what an allowlisted socket opens (README → Security). */}
          <p className="field-hint field-warning" id={ids.socketsWarning}>
            On Linux, listing any socket lets commands reach every unix socket they can see.
          </p>
          <span className="form-note" role="status">
            {save.status === 'saved' ? 'Saved.' : ''}
          </span>
          <button type="submit" className="btn" disabled={save.status === 'saving'}>
            Save sandbox settings
          </button>
        </div>
      </fieldset>
    </form>
  );
}
