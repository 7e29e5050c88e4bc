import { useId, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract.js';
import type { MergeStrategy, Task } from '../../../../shared/model/task.js';
import { useActions, useClient } from '../../appContext.js';
import { errorMessage } from '../../state/startSync.js';
import { MergeFailure } from './MergeFailure.js';
import { MergeStrategySelect } from './MergeStrategySelect.js';
import './merge.css';

type MergeOutcome =
  | { type: 'idle' }
  | { type: 'merging' }
  | { type: 'merged'; commit: string; strategy: MergeStrategy }
  | { type: 'failed'; message: string; files: readonly string[] };

function outcomeOf(result: MethodOutput<'tasks.merge'>, strategy: MergeStrategy): MergeOutcome {
  if (result.ok) return { type: 'merged', commit: result.commit, strategy };
  return { type: 'failed', message: result.message, files: result.files ?? [] };
}

export function MergeControls({ task }: { task: Task }) {
  const client = useClient();
  const { receiveTask } = useActions();
  const [strategy, setStrategy] = useState<MergeStrategy>('merge');
  const [outcome, setOutcome] = useState<MergeOutcome>({ type: 'idle' });
  const helpId = useId();
  const canMerge = task.status === 'review' && outcome.type !== 'merging';

  async function merge() {
    setOutcome({ type: 'merging' });
    try {
      const result = await client.invoke('tasks.merge', { id: task.id, strategy });
      if (result.ok) receiveTask(result.task);
      setOutcome(outcomeOf(result, strategy));
    } catch (e) {
      setOutcome({ type: 'failed', message: errorMessage(e), files: [] });
    }
  }

  if (task.status === 'merged') {
    const commit = task.mergeCommit ?? (outcome.type === 'merged' ? outcome.commit : '');
    const how = task.mergeStrategy ?? (outcome.type === 'merged' ? outcome.strategy : null);
    return (
      <div className="merge">
        <p className="form-success" role="status">
          Merged into {task.baseBranch} as <code className="mono">{commit.slice(0, 10)}</code>
          {how === 'squash' ? ' (squash; branch deleted).' : how === 'merge' ? ` (merge commit; ${task.branch} kept).` : '.'}
        </p>
      </div>
    );
  }

  return (
    <div className="merge">
      <div className="merge-row">
        <MergeStrategySelect value={strategy} onChange={setStrategy} describedBy={helpId} />
        <button
          type="button"
          className="btn btn-primary"
          disabled={!canMerge}
          aria-busy={outcome.type === 'merging'}
          onClick={merge}
        >
          Merge
        </button>
      </div>
      <p id={helpId} className="merge-help">
        {strategy === 'merge'
          ? `A merge commit on ${task.baseBranch}; the branch ${task.branch} is kept.`
          : `One squashed commit on ${task.baseBranch}; the branch ${task.branch} is deleted.`}
        {task.status !== 'review' && ' Merging opens once the task is in Review.'}
      </p>
      {outcome.type === 'failed' && <MergeFailure message={outcome.message} files={outcome.files} />}
    </div>
  );
}
