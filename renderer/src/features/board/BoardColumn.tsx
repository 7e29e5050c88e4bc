import type { BoardColumn as Column } from '../../../../shared/model/boardColumns.js';
import { COLUMN_TITLES } from '../../../../shared/model/boardColumns.js';
import type { Task } from '../../../../shared/model/task.js';
import { isClockRunning, TaskCard } from './TaskCard.js';

const EMPTY_TEXT: Record<Column, string> = {
  backlog: 'Nothing waiting',
  in_progress: 'No agent at work',
  needs_you: 'Nothing needs you',
  review: 'Nothing to review',
  done: 'Nothing done yet',
};

export function BoardColumn({
  column,
  tasks,
  now,
  selectedTaskId,
  onOpen,
}: {
  column: Column;
  tasks: readonly Task[];
  now: number;
  selectedTaskId: string | null;
  onOpen: (id: string) => void;
}) {
  const title = COLUMN_TITLES[column];
  const headingId = `column-${column}`;
  return (
    <section
      role="region"
      aria-label={title}
      className={`column column-${column} ${tasks.length > 0 ? 'has-tasks' : ''}`}
    >
      <h2 className="column-head" id={headingId}>
        <span className="column-title">{title}</span>
        <span className="column-count" aria-label={`${tasks.length} tasks`}>
          {tasks.length}
        </span>
      </h2>
      <div className="column-body">
        {tasks.length === 0 ? (
          <p className="column-empty">{EMPTY_TEXT[column]}</p>
        ) : (
          tasks.map((task) => (
            // Finished cards ignore the clock; passing 0 lets memo skip them on every tick.
            <TaskCard key={task.id} task={task} now={isClockRunning(task) ? now : 0} isSelected={task.id === selectedTaskId} onOpen={onOpen} />
          ))
        )}
      </div>
    </section>
  );
}
