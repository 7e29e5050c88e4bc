import { useId, useState } from 'react';
import type { MergeStrategy, Task } from '../../../../shared/model/task.js';
import { canMerge, canTransition } from '../../../../shared/model/taskLifecycle.js';
import { InertText } from '../../components/InertText.js';
import { DialogActions } from '../../components/DialogActions.js';
import { Modal } from '../../components/Modal.js';
import { MergeFailure } from './MergeFailure.js';
import { MergeStrategySelect } from './MergeStrategySelect.js';
import { useTaskCall } from './useTaskCall.js';
import './finishDialog.css';

type Choice = 'merge' | 'discard';

/**
 * "Merge or discard?": what a drop on Done asks. Merging is offered only from Review; the
 * strategy is chosen here; discarding says what it deletes before doing it.
 */
export function FinishDialog({ task, onClose }: { task: Task; onClose: () => void }) {
  const isMergeable = canMerge(task.status);
  const isDiscardable = canTransition(task.status, 'discarded');
  const [choice, setChoice] = useState<Choice>(isMergeable ? 'merge' : 'discard');
  const [strategy, setStrategy] = useState<MergeStrategy>('merge');
  const call = useTaskCall();
  const [conflicts, setConflicts] = useState<readonly string[]>([]);
  const name = useId();

  async function confirm() {
    setConflicts([]);
    const result = await call.run(async (client) => {
      if (choice === 'discard') return client.invoke('tasks.discard', { id: task.id });
      const reply = await client.invoke('tasks.merge', { id: task.id, strategy });
      if (!reply.ok) setConflicts(reply.files ?? []);
      return reply;
    });
    if (result.ok) onClose();
  }

  return (
    <Modal title="Merge or discard?" onClose={onClose}>
      <p className="modal-text">
        “<InertText text={task.title} />” on <code className="mono">{task.branch}</code>
      </p>
      <fieldset className="choices">
        <legend className="visually-hidden">What to do with the task</legend>
        <label className={`choice ${isMergeable ? '' : 'is-disabled'}`}>
          <input type="radio" name={name} checked={choice === 'merge'} disabled={!isMergeable} onChange={() => setChoice('merge')} />
          <span className="choice-text">
            <span className="choice-title">Merge into {task.baseBranch}</span>
            <span className="choice-detail">
              {isMergeable
                ? strategy === 'merge'
                  ? `A merge commit; the branch ${task.branch} is kept.`
                  : `One squashed commit; the branch ${task.branch} is deleted.`
                : `Only a task in Review can be merged; this one is ${task.status}.`}
            </span>
          </span>
        </label>
        {choice === 'merge' && isMergeable && (
          <div className="choice-extra">
            <MergeStrategySelect value={strategy} onChange={setStrategy} />
          </div>
        )}
        <label className={`choice ${isDiscardable ? '' : 'is-disabled'}`}>
          <input type="radio" name={name} checked={choice === 'discard'} disabled={!isDiscardable} onChange={() => setChoice('discard')} />
          <span className="choice-text">
            <span className="choice-title">Discard</span>
            <span className="choice-detail">
              The worktree is removed and the branch <code className="mono">{task.branch}</code> deleted; nothing reaches{' '}
              {task.baseBranch}. This cannot be undone.
            </span>
          </span>
        </label>
      </fieldset>
      {call.error !== null && <MergeFailure message={call.error} files={conflicts} />}
      <DialogActions
        onCancel={onClose}
        action={
          choice === 'merge'
            ? { label: 'Merge', isDisabled: call.isBusy || !isMergeable, onClick: () => void confirm() }
            : { label: 'Discard task', tone: 'danger', isDisabled: call.isBusy || !isDiscardable, onClick: () => void confirm() }
        }
      />
    </Modal>
  );
}
