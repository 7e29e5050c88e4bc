import { useId, useState } from 'react';
import type { Task } from '../../../../shared/model/task.js';
import { canTransition, isActive, isFinal } from '../../../../shared/model/taskLifecycle.js';
import { useActions, useClient } from '../../appContext.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { errorMessage } from '../../state/startSync.js';
import { ChangesView } from '../review/ChangesView.js';
import { DiscardDialog } from './DiscardDialog.js';
import { MergeControls } from './MergeControls.js';
import { tabIds, TaskTabs, type TaskTab } from './TaskTabs.js';
import { Transcript } from './Transcript.js';
import { useTranscript } from './useTranscript.js';

/** The right-hand panel for one task. Keyed by task id by its parent, so state resets per task. */
export function TaskView({ task }: { task: Task }) {
  const client = useClient();
  const { closeTask, receiveTask } = useActions();
  const transcript = useTranscript(client, task.id);
  const [tab, setTab] = useState<TaskTab>('transcript');
  // Changes mount on first visit and stay mounted, so switching tabs does not refetch.
  const [hasOpenedChanges, setHasOpenedChanges] = useState(false);
  const [isDiscardOpen, setIsDiscardOpen] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [isStopping, setIsStopping] = useState(false);
  const baseId = useId();

  function selectTab(next: TaskTab) {
    setTab(next);
    if (next === 'changes') setHasOpenedChanges(true);
  }

  async function stop() {
    setIsStopping(true);
    setActionError(null);
    try {
      const result = await client.invoke('tasks.stop', { id: task.id });
      if (result.ok) receiveTask(result.task);
      else setActionError(result.message);
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setIsStopping(false);
    }
  }

  const transcriptIds = tabIds(baseId, 'transcript');
  const changesIds = tabIds(baseId, 'changes');
  return (
    <section role="region" aria-label={`Task: ${task.title}`} className="task-view">
      <header className="task-head">
        <div className="task-title-row">
          <h2 className="task-title">{task.title}</h2>
          <StatusBadge status={task.status} />
          <div className="task-actions">
            {isActive(task.status) && (
              <button type="button" className="btn" onClick={stop} disabled={isStopping}>
                Stop
              </button>
            )}
            {!isFinal(task.status) && (
              <button
                type="button"
                className="btn btn-danger-quiet"
                onClick={() => setIsDiscardOpen(true)}
                disabled={!canTransition(task.status, 'discarded')}
                title={canTransition(task.status, 'discarded') ? undefined : 'Stop the task before discarding it'}
              >
                Discard
              </button>
            )}
            <button type="button" className="btn" onClick={closeTask}>
              Close
            </button>
          </div>
        </div>
        <div className="task-meta">
          <span className="task-repo" title={task.repoPath}>
            {task.repoName}
          </span>
          <span className="mono task-branches">
            {task.branch} <span aria-label="based on">→</span> {task.baseBranch}
          </span>
          <span className="muted">{task.model}</span>
        </div>
        {task.statusReason && <p className="task-reason" data-status={task.status}>{task.statusReason}</p>}
        {actionError !== null && (
          <p className="form-error" role="alert">
            {actionError}
          </p>
        )}
        {task.status !== 'discarded' && <MergeControls task={task} />}
      </header>
      <TaskTabs baseId={baseId} active={tab} onSelect={selectTab} />
      <div
        className="tab-panel"
        role="tabpanel"
        id={transcriptIds.panel}
        aria-labelledby={transcriptIds.tab}
        hidden={tab !== 'transcript'}
      >
        <Transcript view={transcript} isVisible={tab === 'transcript'} />
      </div>
      <div className="tab-panel" role="tabpanel" id={changesIds.panel} aria-labelledby={changesIds.tab} hidden={tab !== 'changes'}>
        {hasOpenedChanges && <ChangesView taskId={task.id} version={String(transcript.lastCheckpointSeq)} />}
      </div>
      {isDiscardOpen && <DiscardDialog task={task} onClose={() => setIsDiscardOpen(false)} />}
    </section>
  );
}
