import { useId, useRef, useState } from 'react';
import { describePolicy } from '../../../../shared/model/sandboxPolicy.js';
import type { Task } from '../../../../shared/model/task.js';
import { canTransition, isActive, isFinal } from '../../../../shared/model/taskLifecycle.js';
import { useActions, useClient } from '../../appContext.js';
import { FormError } from '../../components/FormError.js';
import { describeUsage, formatTokens } from '../../components/formatTokens.js';
import { InertText } from '../../components/InertText.js';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { ApprovalPanel } from '../approvals/ApprovalPanel.js';
import { describeGrants, networkNotice } from '../approvals/approvalText.js';
import { ChangesView } from '../review/ChangesView.js';
import { TerminalPanel } from '../terminal/TerminalPanel.js';
import { DiscardDialog } from './DiscardDialog.js';
import { MergeControls } from './MergeControls.js';
import { TaskComposer } from './TaskComposer.js';
import { tabIds } from '../../components/TabList.js';
import { TaskTabs, type TaskTab } from './TaskTabs.js';
import { TaskTitleRow } from './TaskTitleRow.js';
import { TaskPlanView } from '../plan/TaskPlanView.js';
import { TaskInstructions } from './TaskInstructions.js';
import { Transcript } from './Transcript.js';
import { useTaskCall } from './useTaskCall.js';
import { useTranscript } from './useTranscript.js';
import './taskView.css';

/** The right-hand panel for one task. Keyed by task id by its parent, so state resets per task. */
export function TaskView({ task }: { task: Task }) {
  const client = useClient();
  const { closeTask } = useActions();
  const transcript = useTranscript(client, task.id);
  const [tab, setTab] = useState<TaskTab>('transcript');
  // Changes mount on first visit and stay mounted, so switching tabs does not refetch.
  const [hasOpenedChanges, setHasOpenedChanges] = useState(false);
  const [isDiscardOpen, setIsDiscardOpen] = useState(false);
  const action = useTaskCall();
  const baseId = useId();
  const viewRef = useRef<HTMLElement>(null);
  const network = networkNotice(task);
  const grants = describeGrants(task.grants);

  function selectTab(next: TaskTab) {
    setTab(next);
    if (next === 'changes') setHasOpenedChanges(true);
  }

  const transcriptIds = tabIds(baseId, 'transcript');
  const changesIds = tabIds(baseId, 'changes');
  return (
    <section ref={viewRef} role="region" aria-label={`Task: ${visibleText(task.title)}`} className="task-view">
      <header className="task-head">
        <TaskTitleRow task={task}>
          {task.status === 'backlog' && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={action.isBusy}
              onClick={() => void action.run((c) => c.invoke('tasks.start', { id: task.id }))}
            >
              Start
            </button>
          )}
          {isActive(task.status) && (
            <button
              type="button"
              className="btn"
              disabled={action.isBusy}
              onClick={() => void action.run((c) => c.invoke('tasks.stop', { id: task.id }))}
            >
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
        </TaskTitleRow>
        <div className="task-meta">
          <span className="task-repo" title={visibleText(task.repoPath)}>
            <InertText text={task.repoName} />
          </span>
          <span className="mono task-branches">
            <InertText text={task.branch} /> <span aria-label="based on">→</span> <InertText text={task.baseBranch} />
          </span>
          <span className="muted">{task.model}</span>
          {task.usage.inputTokens + task.usage.outputTokens > 0 && (
            <span className="muted" title={describeUsage(task.usage)}>
              {formatTokens(task.usage.inputTokens + task.usage.outputTokens)}
            </span>
          )}
          <span className="task-policy" title="Sandbox policy">
            {describePolicy(task.policy)}
          </span>
        </div>
        {network !== null && (
          <p className="task-notice" data-tone={task.policy.mode === 'full-access' ? 'danger' : 'network'}>
            {network}
          </p>
        )}
        {grants !== null && <p className="task-grants">Approved for this task: {grants}</p>}
        {task.plan && task.plan.steps.length > 0 && <TaskPlanView plan={task.plan} />}
        {!isFinal(task.status) && <TaskInstructions taskId={task.id} />}
        {/* While a request waits, the panel below says what the reason would. */}
        {task.statusReason && task.pendingApproval === null && (
          <p className="task-reason" data-status={task.status}>
            <InertText text={task.statusReason} />
          </p>
        )}
        <FormError message={action.error} />
        {task.status !== 'discarded' && task.status !== 'backlog' && <MergeControls task={task} />}
      </header>
      {task.pendingApproval !== null && (
        <ApprovalPanel key={task.pendingApproval.requestId} task={task} request={task.pendingApproval} scope={viewRef} />
      )}
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
      <div className="tab-panel" role="tabpanel" id={tabIds(baseId, 'terminal').panel} aria-labelledby={tabIds(baseId, 'terminal').tab} hidden={tab !== 'terminal'}>
        <TerminalPanel taskId={task.id} isVisible={tab === 'terminal'} />
      </div>
      <TaskComposer task={task} />
      {isDiscardOpen && <DiscardDialog task={task} onClose={() => setIsDiscardOpen(false)} />}
    </section>
  );
}
