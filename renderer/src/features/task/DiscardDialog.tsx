import { useState } from 'react';
import type { Task } from '../../../../shared/model/task.js';
import { useActions, useClient } from '../../appContext.js';
import { InertText } from '../../components/InertText.js';
import { Modal } from '../../components/Modal.js';
import { errorMessage } from '../../state/startSync.js';

export function DiscardDialog({ task, onClose }: { task: Task; onClose: () => void }) {
  const client = useClient();
  const { receiveTask } = useActions();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function discard() {
    setIsBusy(true);
    setError(null);
    try {
      const result = await client.invoke('tasks.discard', { id: task.id });
      if (result.ok) {
        receiveTask(result.task);
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
    <Modal title="Discard task?" onClose={onClose}>
      <p className="modal-text">
        “<InertText text={task.title} />” will be discarded: its worktree is removed and the branch <code className="mono">{task.branch}</code>{' '}
        is deleted. Nothing is merged into <code className="mono">{task.baseBranch}</code>.
      </p>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" onClick={discard} disabled={isBusy}>
          Discard task
        </button>
      </div>
    </Modal>
  );
}
