import { useId, useState } from 'react';
import type { MergeStrategy, Task } from '../../../../shared/model/task.js';
import { canMerge, canTransition } from '../../../../shared/model/taskLifecycle.js';
import { InertText } from '../../components/InertText.js';
import { DialogActions } from '../../components/DialogActions.js';
import { Modal } from '../../components/Modal.js';
import { MergeFailure } from './MergeFailure.js';
import { MergeOptions, strategyHelp } from './MergeOptions.js';
import { MergeStrategySelect } from './MergeStrategySelect.js';
import { useMergeForm } from './useMergeForm.js';
import { useTaskCall } from './useTaskCall.js';
import './finishDialog.css';

type Choice = 'merge' | 'discard';

/**
 * "Merge or discard?": what a drop on Done asks. Merging is offered only from Review; the
 * strategy, the uncommitted files (only if ticked) and the squash message are chosen here, and
 * the tip shown is sent along (a branch that moved since is refused); discarding says what it
 * removes and that Restore brings it back.
 */
export function FinishDialog({ task, onClose }: { task: Task; onClose: () => void }) {
  const isMergeable = canMerge(task.status);
  const isDiscardable = canTransition(task.status, 'discarded');
  const [choice, setChoice] = useState<Choice>(isMergeable ? 'merge' : 'discard');
  const [strategy, setStrategy] = useState<MergeStrategy>('merge');
  const call = useTaskCall();
  const [refused, setRefused] = useState<{ files: readonly string[]; kind?: string }>({ files: [] });
  const form = useMergeForm(task, strategy, isMergeable);
  const name = useId();

  async function confirm() {
    setRefused({ files: [] });
    const result = await call.run(async (client) => {
      if (choice === 'discard') return client.invoke('tasks.discard', { id: task.id });
      const reply = await client.invoke('tasks.merge', form.request());
      if (!reply.ok) {
        setRefused({ files: reply.files ?? [], kind: reply.kind });
        form.onRefused(reply);
      }
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
              {isMergeable ? strategyHelp(strategy, task.baseBranch, task.branch) : `Only a task in Review can be merged; this one is ${task.status}.`}
            </span>
          </span>
        </label>
        {choice === 'merge' && isMergeable && (
          <div className="choice-extra">
            <MergeStrategySelect value={strategy} onChange={setStrategy} />
            <MergeOptions strategy={strategy} {...form.options} />
          </div>
        )}
        <label className={`choice ${isDiscardable ? '' : 'is-disabled'}`}>
          <input type="radio" name={name} checked={choice === 'discard'} disabled={!isDiscardable} onChange={() => setChoice('discard')} />
          <span className="choice-text">
            <span className="choice-title">Discard</span>
            <span className="choice-detail">
              The worktree is removed and the branch <code className="mono">{task.branch}</code> deleted; nothing reaches{' '}
              {task.baseBranch}. Its files, uncommitted ones too, are archived first: Restore on the Done card brings it back.
            </span>
          </span>
        </label>
      </fieldset>
      {call.error !== null && <MergeFailure message={call.error} files={refused.files} kind={refused.kind} />}
      <DialogActions
        onCancel={onClose}
        action={
          choice === 'merge'
            ? { label: 'Merge', isDisabled: call.isBusy || !isMergeable || !form.isReady, onClick: () => void confirm() }
            : { label: 'Discard task', tone: 'danger', isDisabled: call.isBusy || !isDiscardable, onClick: () => void confirm() }
        }
      />
    </Modal>
  );
}
