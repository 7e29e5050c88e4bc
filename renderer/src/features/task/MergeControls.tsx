import { useId, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract.js';
import type { MergeStrategy, Task } from '../../../../shared/model/task.js';
import { useActions, useClient } from '../../appContext.js';
import { InertText } from '../../components/InertText.js';
import { errorMessage } from '../../state/startSync.js';
import { MergeFailure } from './MergeFailure.js';
import { MergeOptions, strategyHelp } from './MergeOptions.js';
import { MergeStrategySelect } from './MergeStrategySelect.js';
import { useMergeForm } from './useMergeForm.js';
import { useTaskConflicts } from './siblingConflicts.js';
import { useTaskCall } from './useTaskCall.js';
import { FormError } from '../../components/FormError.js';
import './merge.css';

type MergeOutcome =
  | { type: 'idle' }
  | { type: 'merging' }
  | { type: 'merged'; commit: string; strategy: MergeStrategy }
  | { type: 'failed'; message: string; files: readonly string[]; kind?: string };

function outcomeOf(result: MethodOutput<'tasks.merge'>, strategy: MergeStrategy): MergeOutcome {
  if (result.ok) return { type: 'merged', commit: result.commit, strategy };
  return { type: 'failed', message: result.message, files: result.files ?? [], kind: result.kind };
}

const MERGED_HOW: Record<MergeStrategy, (task: Task) => string> = {
  merge: (task) => ` (merge commit; ${task.branch} kept).`,
  squash: () => ' (squash; branch deleted).',
  rebase: () => ' (rebased; branch deleted).',
};

/**
 * Merging from the task view: the strategy, what goes in besides the reviewed branch (its
 * uncommitted files, only if ticked; the squash message, editable), and the tip shown here,
 * sent along so that a branch that moved since is refused rather than merged unseen.
 */
export function MergeControls({ task }: { task: Task }) {
  const client = useClient();
  const { receiveTask } = useActions();
  const [strategy, setStrategy] = useState<MergeStrategy>('merge');
  const [outcome, setOutcome] = useState<MergeOutcome>({ type: 'idle' });
  const form = useMergeForm(task, strategy, task.status === 'review');
  const { preview } = form.options;
  const helpId = useId();
  const canMerge = task.status === 'review' && outcome.type !== 'merging' && form.isReady;

  async function merge() {
    setOutcome({ type: 'merging' });
    try {
      const result = await client.invoke('tasks.merge', form.request());
      if (result.ok) receiveTask(result.task);
      else form.onRefused(result);
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
          {how ? MERGED_HOW[how](task) : '.'}
        </p>
      </div>
    );
  }

  return (
    <div className="merge">
      <div className="merge-row">
        <MergeStrategySelect value={strategy} onChange={setStrategy} describedBy={helpId} />
        <button type="button" className="btn btn-primary" disabled={!canMerge} aria-busy={outcome.type === 'merging'} onClick={merge}>
          Merge
        </button>
      </div>
      <p id={helpId} className="merge-help">
        {strategyHelp(strategy, task.baseBranch, task.branch)}
        {preview?.tip && ` Merges ${preview.tip.slice(0, 10)}, the tip shown in Changes.`}
        {task.status !== 'review' && ' Merging opens once the task is in Review.'}
        {task.status === 'review' && form.options.protectedFiles.length > 0 && !form.options.approveProtected && ' Approve the protected files below to merge.'}
      </p>
      {task.status === 'review' && <MergeOptions strategy={strategy} {...form.options} />}
      {outcome.type === 'failed' && <MergeFailure message={outcome.message} files={outcome.files} kind={outcome.kind} />}
      {task.status === 'review' && <ResolveConflicts task={task} />}
      <PullRequest task={task} />
    </div>
  );
}

/**
 * When the task conflicts with its base: the files, and two ways out: "Resolve with agent" (the
 * base merged in with the conflicts marked, and a turn for the agent to resolve them) or the
 * task's terminal, by hand.
 */
function ResolveConflicts({ task }: { task: Task }) {
  const conflicts = useTaskConflicts(task.id);
  const call = useTaskCall();
  const files = conflicts?.baseConflicts ?? [];
  if (files.length === 0) return null;
  return (
    <div className="merge-resolve" role="group" aria-label="Conflicts with the base branch">
      <p className="merge-help">
        Conflicts with {task.baseBranch} in {files.length === 1 ? '1 file' : `${files.length} files`}: <InertText text={files.join(', ')} />. Let the agent
        resolve them, or fix them yourself in the Terminal tab.
      </p>
      <button
        type="button"
        className="btn"
        disabled={call.isBusy}
        aria-busy={call.isBusy}
        onClick={() => void call.run((client) => client.invoke('tasks.resolve', { id: task.id }))}
      >
        Resolve with agent
      </button>
      <FormError message={call.error} />
    </div>
  );
}

/** "Open pull request", or the one already opened; the host says exactly what is missing. */
function PullRequest({ task }: { task: Task }) {
  const call = useTaskCall();
  if (task.prUrl) {
    return (
      <p className="merge-pr">
        Pull request:{' '}
        <a href={task.prUrl} target="_blank" rel="noreferrer noopener" className="mono">
          <InertText text={task.prUrl} />
        </a>
      </p>
    );
  }
  if (task.status !== 'review' && task.status !== 'stopped' && task.status !== 'failed') return null;
  return (
    <div className="merge-pr">
      <button
        type="button"
        className="btn"
        disabled={call.isBusy}
        aria-busy={call.isBusy}
        onClick={() => void call.run((client) => client.invoke('tasks.pullRequest', { id: task.id }))}
      >
        Open pull request
      </button>
      <FormError message={call.error} />
    </div>
  );
}
