import { memo } from 'react';
import type { Task } from '../../../../shared/model/task.js';
import { isActive } from '../../../../shared/model/taskLifecycle.js';
import { formatElapsed } from '../../components/formatTime.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { showsReason } from '../../components/statusStyle.js';

/** Tasks that are waiting or working count up to now; the rest show how long they took. */
export function isClockRunning(task: Pick<Task, 'status'>): boolean {
  return isActive(task.status) || task.status === 'backlog';
}

export function cardElapsedMs(task: Task, now: number): number {
  return (isClockRunning(task) ? now : task.updatedAt) - task.createdAt;
}

export const TaskCard = memo(function TaskCard({
  task,
  now,
  isSelected,
  onOpen,
}: {
  task: Task;
  now: number;
  isSelected: boolean;
  onOpen: (id: string) => void;
}) {
  const elapsed = formatElapsed(cardElapsedMs(task, now));
  return (
    <article aria-label={task.title} className={`card ${isSelected ? 'is-selected' : ''}`} data-status={task.status}>
      <button
        type="button"
        className="card-open"
        aria-current={isSelected ? 'true' : undefined}
        onClick={() => onOpen(task.id)}
      >
        {task.title}
      </button>
      <div className="card-meta">
        <span className="card-repo">{task.repoName}</span>
        <span className="card-branch mono" title={task.branch}>
          {task.branch}
        </span>
      </div>
      <div className="card-foot">
        <StatusBadge status={task.status} />
        <time className="card-elapsed" dateTime={new Date(task.createdAt).toISOString()} title="Elapsed since created">
          {elapsed}
        </time>
      </div>
      {showsReason(task.status) && task.statusReason && (
        <p className="card-reason" title={task.statusReason}>
          {task.statusReason}
        </p>
      )}
    </article>
  );
});
