import { useState, type FormEvent } from 'react';
import { useActions, useClient } from '../../appContext.js';
import { Modal } from '../../components/Modal.js';
import { errorMessage } from '../../state/startSync.js';

export function AddRepoDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const { receiveRepo } = useActions();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (path.trim() === '') {
      setError('Enter the path of a local git repository.');
      return;
    }
    setIsBusy(true);
    setError(null);
    try {
      // The path is sent as typed: spaces and unicode are legal in paths; the host resolves it.
      const result = await client.invoke('repos.add', { path });
      if (result.ok) {
        receiveRepo(result.repo);
        onClose();
        return;
      }
      setError(result.message);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <Modal title="Add repo" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <label className="field">
          <span className="field-label">Repository path</span>
          <input
            className="input mono"
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/home/me/projects/app"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error !== null}
          />
          <span className="field-hint">A local git repository with at least one commit.</span>
        </label>
        {error !== null && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={isBusy}>
            Add
          </button>
        </div>
      </form>
    </Modal>
  );
}
