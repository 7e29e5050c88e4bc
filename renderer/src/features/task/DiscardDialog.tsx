import type { Task } from '../../../../shared/model/task.js';
import { DialogActions } from '../../components/DialogActions.js';
import { InertText } from '../../components/InertText.js';
import { Modal } from '../../components/Modal.js';
import { useTaskCall } from './useTaskCall.js';

export function DiscardDialog({ task, onClose }: { task: Task; onClose: () => void }) {
  const call = useTaskCall();

  async function discard() {
    const result = await call.run((client) => client.invoke('tasks.discard', { id: task.id }));
    if (result.ok) onClose();
  }

  return (
    <Modal title="Discard task?" onClose={onClose}>
      <p className="modal-text">
        “<InertText text={task.title} />” will be discarded: its worktree is removed and the branch <code className="mono">{task.branch}</code>{' '}
        is deleted. Nothing is merged into <code className="mono">{task.baseBranch}</code>.
      </p>
      <DialogActions
        error={call.error}
        onCancel={onClose}
        action={{ label: 'Discard task', tone: 'danger', isDisabled: call.isBusy, onClick: () => void discard() }}
      />
    </Modal>
  );
}
