import { useState, type FormEvent } from 'react';
import { useActions, useClient } from '../../appContext.js';
import { DialogActions } from '../../components/DialogActions.js';
import { Modal } from '../../components/Modal.js';
import { useCall } from '../../components/useCall.js';

export function AddRepoDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const { receiveRepo } = useActions();
  const [path, setPath] = useState('');
  const call = useCall();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (path.trim() === '') {
      call.setError('Enter the path of a local git repository.');
      return;
    }
    // The path is sent as typed: spaces and unicode are legal in paths; the host resolves it.
    const result = await call.run(() => client.invoke('repos.add', { path }));
    if (result.ok) {
      receiveRepo(result.repo);
      onClose();
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
            aria-invalid={call.error !== null}
          />
          <span className="field-hint">A local git repository with at least one commit.</span>
        </label>
        <DialogActions error={call.error} onCancel={onClose} action={{ label: 'Add', isDisabled: call.isBusy }} />
      </form>
    </Modal>
  );
}
