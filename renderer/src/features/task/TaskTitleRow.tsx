import type { ReactNode } from 'react';
import type { Task } from '../../../../shared/model/task.js';
import { InertText } from '../../components/InertText.js';
import { StatusBadge } from '../../components/StatusBadge.js';

/** A task panel's first line: its title, its status and the panel's buttons (the live task view's, the replay's). */
export function TaskTitleRow({ task, children }: { task: Task; children: ReactNode }) {
  return (
    <div className="task-title-row">
      <h2 className="task-title truncate">
        <InertText text={task.title} />
      </h2>
      <StatusBadge status={task.status} />
      <div className="task-actions">{children}</div>
    </div>
  );
}
