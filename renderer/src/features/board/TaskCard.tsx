import { CardPlanLine } from '../plan/TaskPlanView.js';
import { useDraggable } from '@dnd-kit/core';
import { memo, useCallback, useMemo, useState, type KeyboardEvent } from 'react';
import { COLUMN_TITLES, columnOf } from '../../../../shared/model/boardColumns.js';
import type { Task } from '../../../../shared/model/task.js';
import { isActive, isFinal } from '../../../../shared/model/taskLifecycle.js';
import { useActions, useActivityLine, useAppStore, useClient } from '../../appContext.js';
import { describeUsage, formatTokens } from '../../components/formatTokens.js';
import { InertText } from '../../components/InertText.js';
import { visibleText } from '../../../../shared/model/visibleText.js';
import { MenuButton, type MenuItem } from '../../components/MenuButton.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { showsReason } from '../../components/statusStyle.js';
import { errorMessage } from '../../state/startSync.js';
import { selectIsReplay, selectTasks } from '../../state/selectors.js';
import { CardApproval } from '../approvals/CardApproval.js';
import { CardSensitiveFlag } from '../review/CardSensitiveFlag.js';
import { useTaskConflicts, type TaskConflicts } from '../task/siblingConflicts.js';
import { useProtectedFiles } from '../task/useProtectedFiles.js';
import { PolicyBadges } from '../approvals/PolicyBadges.js';
import { cardClock } from './cardClock.js';
import { acceptedMoves, dropActionLabel } from './dropRules.js';
import { useMoveTask } from './useMoveTask.js';
import './board.css';
import '../task/merge.css';

/** Carried by a dragged card, read by the board when it is dropped. */
export interface CardDragData {
  taskId: string;
}

/**
 * A card on the board. The outer part is the drag source; the body is memoized apart from it
 * because the drag hook re-renders every card when a drag starts or crosses a column.
 */
export const TaskCard = memo(function TaskCard({ task, now, isSelected }: { task: Task; now: number; isSelected: boolean }) {
  const data: CardDragData = { taskId: task.id };
  // A replayed board (features/replay) is read-only: its cards open but never move.
  const isReadOnly = useAppStore(selectIsReplay);
  const { setNodeRef, listeners, isDragging, attributes } = useDraggable({ id: task.id, data, disabled: isReadOnly });
  return (
    <article
      ref={setNodeRef}
      aria-label={visibleText(task.title)}
      data-task-id={task.id}
      data-status={task.status}
      data-approval={task.pendingApproval !== null ? 'pending' : undefined}
      className={`card ${task.pendingApproval !== null ? 'has-approval' : ''} ${isSelected ? 'is-selected' : ''} ${isDragging ? 'is-dragging' : ''}`}
      {...listeners}
    >
      <CardBody task={task} now={now} isSelected={isSelected} describedBy={attributes['aria-describedby']} />
    </article>
  );
});

const CardBody = memo(function CardBody({
  task,
  now,
  isSelected,
  describedBy,
}: {
  task: Task;
  now: number;
  isSelected: boolean;
  /** The board's hidden instructions: how to move a card without a pointer. */
  describedBy: string | undefined;
}) {
  const { openTask } = useActions();
  const [isMenuOpen, setIsMenuOpen] = useState(false);
  const items = useCardMenu(task);
  const move = useMoveTask();
  const clock = cardClock(task, now);
  const tokens = task.usage.inputTokens + task.usage.outputTokens;
  const isReadOnly = useAppStore(selectIsReplay);

  function onKeyDown(event: KeyboardEvent) {
    if (isReadOnly || event.ctrlKey || event.metaKey || event.altKey || event.target !== event.currentTarget.querySelector('.card-open')) return;
    const key = event.key.toLowerCase();
    if (key === 'm') {
      event.preventDefault();
      setIsMenuOpen(true);
    } else if (key === 's' && task.status === 'backlog') {
      event.preventDefault();
      move(task, 'in_progress');
    }
  }

  return (
    <div className="card-body" onKeyDown={onKeyDown}>
      <div className="card-top">
        <button
          type="button"
          className="card-open"
          aria-current={isSelected ? 'true' : undefined}
          aria-keyshortcuts={isReadOnly ? undefined : task.status === 'backlog' ? 'M S' : 'M'}
          aria-describedby={describedBy}
          onClick={() => openTask(task.id)}
        >
          <InertText text={task.title} />
        </button>
        {!isReadOnly && (
          <MenuButton
            label="Move to…"
            title="Move to… (M)"
            className="card-menu"
            items={items}
            isOpen={isMenuOpen}
            onOpenChange={setIsMenuOpen}
          >
            <span aria-hidden="true">⋯</span>
          </MenuButton>
        )}
      </div>
      <div className="card-meta">
        <span className="card-repo truncate" title={visibleText(task.repoPath)}>
          <InertText text={task.repoName} />
        </span>
        <span className="card-branch mono truncate" title={visibleText(task.branch)}>
          <InertText text={task.branch} />
        </span>
      </div>
      {task.plan && task.plan.steps.length > 0 && !isFinal(task.status) && <CardPlanLine plan={task.plan} />}
      {task.status === 'running' && <CardActivity taskId={task.id} />}
      {!isFinal(task.status) && <CardConflicts task={task} />}
      <CardSensitiveFlag task={task} />
      {task.status === 'review' && <CardProtectedBadge task={task} />}
      {task.status === 'discarded' && task.archivedAt != null && !isReadOnly && <CardRestore task={task} />}
      {task.pendingApproval !== null && <CardApproval key={task.pendingApproval.requestId} task={task} request={task.pendingApproval} />}
      {showsReason(task.status) && task.statusReason && task.pendingApproval === null && (
        <p className="card-reason truncate" title={visibleText(task.statusReason)}>
          <InertText text={task.statusReason} />
        </p>
      )}
      <div className="card-foot">
        <span className="card-badges">
          <StatusBadge status={task.status} />
          <PolicyBadges task={task} />
        </span>
        <span className="card-foot-right">
          {tokens > 0 && (
            <span className="meta-number" title={describeUsage(task.usage)}>
              {formatTokens(tokens)}
            </span>
          )}
          <time className="meta-number" dateTime={new Date(clock.since).toISOString()} title={clock.title}>
            {clock.text}
          </time>
        </span>
      </div>
    </div>
  );
});

/** The live line, in its own component: its updates re-render this line only. */
function CardActivity({ taskId }: { taskId: string }) {
  const line = useActivityLine(taskId);
  return (
    <p className={`card-activity truncate ${line?.kind === 'command' ? 'mono' : ''}`} title={line ? visibleText(line.text) : undefined}>
      {line ? <InertText text={line.text} /> : 'Working…'}
    </p>
  );
}

/**
 * Conflicts predicted before they happen: with the base branch now ("conflicts with main in
 * 2 files"), and with other open tasks of the repo once one of them is merged.
 */
function CardConflicts({ task }: { task: Task }) {
  const conflicts = useTaskConflicts(task.id);
  if (!conflicts) return null;
  return <CardConflictLines task={task} conflicts={conflicts} />;
}

function CardConflictLines({ task, conflicts }: { task: Task; conflicts: TaskConflicts }) {
  const tasks = useAppStore(selectTasks);
  const lines: { key: string; text: string; files: readonly string[] }[] = [];
  const inFiles = (files: readonly string[]) => (files.length === 1 ? `in ${files[0]}` : `in ${files.length} files`);
  if (conflicts.baseConflicts.length > 0) {
    lines.push({ key: 'base', text: `Conflicts with ${task.baseBranch} ${inFiles(conflicts.baseConflicts)}`, files: conflicts.baseConflicts });
  }
  for (const sibling of conflicts.conflictsWith) {
    const title = tasks[sibling.taskId]?.title ?? sibling.taskId;
    lines.push({ key: sibling.taskId, text: `Conflicts with «${title}» ${inFiles(sibling.files)}`, files: sibling.files });
  }
  return (
    <ul className="card-conflicts" aria-label="Predicted conflicts">
      {lines.map((line) => (
        <li key={line.key} className="card-conflict truncate" title={visibleText(line.files.join('\n'))}>
          <InertText text={line.text} />
        </li>
      ))}
    </ul>
  );
}

/** "2 protected files": the repo's protected paths this task touches, which a merge needs approved. */
function CardProtectedBadge({ task }: { task: Task }) {
  const { files } = useProtectedFiles(task, true);
  if (files.length === 0) return null;
  const why = files.map(({ file, pattern }) => (pattern === null ? file : `${file} (matches ${pattern})`)).join('\n');
  return (
    <p className="card-protected">
      <span className="badge tone-attention" title={visibleText(`Merging needs your approval:\n${why}`)}>
        {files.length === 1 ? '1 protected file' : `${files.length} protected files`}
      </span>
    </p>
  );
}

/** "Restore": a discarded task back to Review, its uncommitted files included, from its archive. */
function CardRestore({ task }: { task: Task }) {
  const client = useClient();
  const { receiveTask, showToast } = useActions();
  const [isBusy, setIsBusy] = useState(false);
  const restore = useCallback(() => {
    setIsBusy(true);
    client
      .invoke('tasks.restore', { id: task.id })
      .then(
        (result) => (result.ok ? receiveTask(result.task) : showToast(result.message)),
        (error: unknown) => showToast(`Could not restore “${task.title}”: ${errorMessage(error)}`),
      )
      .finally(() => setIsBusy(false));
  }, [client, receiveTask, showToast, task.id, task.title]);
  return (
    <div className="card-restore">
      <button type="button" className="btn btn-sm" disabled={isBusy} aria-busy={isBusy} onClick={restore}
        // The card is a drag source (pointer and keyboard): pressing this button must not pick it up.
        onPointerDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.stopPropagation()}
      >
        Restore
      </button>
    </div>
  );
}

/** The Move menu: the same moves a drag accepts, plus Open and Stop. */
function useCardMenu(task: Task): MenuItem[] {
  const client = useClient();
  const { openTask, receiveTask, showToast } = useActions();
  const move = useMoveTask();
  const stop = useCallback(() => {
    client.invoke('tasks.stop', { id: task.id }).then(
      (result) => (result.ok ? receiveTask(result.task) : showToast(result.message)),
      (error: unknown) => showToast(`Could not stop “${task.title}”: ${errorMessage(error)}`),
    );
  }, [client, receiveTask, showToast, task.id, task.title]);
  return useMemo(() => {
    const items: MenuItem[] = acceptedMoves(task.status, task.pendingApproval !== null).map(({ column, action }) => ({
      key: column,
      label: dropActionLabel(action, column),
      detail: `To ${COLUMN_TITLES[column]}`,
      onSelect: () => move(task, column),
    }));
    if (isActive(task.status)) items.push({ key: 'stop', label: 'Stop', detail: 'To Needs you; the work so far is kept', onSelect: stop });
    if (items.length === 0) {
      const where = COLUMN_TITLES[columnOf(task.status)];
      items.push({ key: 'none', label: 'No moves from here', detail: `${task.status} tasks stay in ${where}`, isDisabled: true, onSelect: () => {} });
    }
    items.push({ key: 'open', label: 'Open', detail: 'Transcript and changes', onSelect: () => openTask(task.id) });
    return items;
  }, [task, move, stop, openTask]);
}
