import { useDroppable } from '@dnd-kit/core';
import type { BoardColumn as Column } from '../../../../shared/model/boardColumns.js';
import { COLUMN_TITLES } from '../../../../shared/model/boardColumns.js';
import type { Task } from '../../../../shared/model/task.js';
import { cardNow } from './cardClock.js';
import type { DropAction } from './dropRules.js';
import { TaskCard } from './TaskCard.js';
import './board.css';

const EMPTY_TEXT: Record<Column, string> = {
  backlog: 'Nothing waiting',
  in_progress: 'No agent at work',
  needs_you: 'Nothing needs you',
  review: 'Nothing to review',
  done: 'Nothing done yet',
};

/** How the column looks while a card is dragged: would it take the card? */
export type DropHint = 'idle' | 'accept' | 'refuse' | 'home';

export function dropHintOf(action: DropAction | null): DropHint {
  if (action === null) return 'idle';
  if (action.type === 'stay') return 'home';
  return action.type === 'refuse' ? 'refuse' : 'accept';
}

export function BoardColumn({
  column,
  tasks,
  now,
  selectedTaskId,
  dropHint,
}: {
  column: Column;
  tasks: readonly Task[];
  now: number;
  selectedTaskId: string | null;
  dropHint: DropHint;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: column });
  const title = COLUMN_TITLES[column];
  return (
    <section
      ref={setNodeRef}
      role="region"
      aria-label={title}
      data-column={column}
      data-drop={dropHint}
      className={`column column-${column} ${tasks.length > 0 ? 'has-tasks' : ''} ${isOver ? 'is-over' : ''}`}
    >
      <h2 className="column-head">
        <span className="column-title">{title}</span>
        <span className="column-count" aria-label={`${tasks.length} ${tasks.length === 1 ? 'task' : 'tasks'}`}>
          {tasks.length}
        </span>
        {isOver && dropHint === 'refuse' && (
          <span className="column-drop-note" aria-hidden="true">
            Can’t drop here
          </span>
        )}
      </h2>
      <div className="column-body">
        {tasks.length === 0 ? (
          <p className="column-empty">{EMPTY_TEXT[column]}</p>
        ) : (
          tasks.map((task) => (
            <TaskCard key={task.id} task={task} now={cardNow(task, now)} isSelected={task.id === selectedTaskId} />
          ))
        )}
      </div>
    </section>
  );
}
