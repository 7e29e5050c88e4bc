import {
  defaultDropAnimation,
  DndContext,
  DragOverlay,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type DragStartEvent,
  type DropAnimation,
} from '@dnd-kit/core';
import { useMemo, useRef, useState } from 'react';
import { BOARD_COLUMNS, COLUMN_TITLES, type BoardColumn as Column } from '../../../../shared/model/boardColumns.js';
import type { Task } from '../../../../shared/model/task.js';
import { useAppStore } from '../../appContext.js';
import type { AppState } from '../../state/appStore.js';
import { useNow } from '../../components/useNow.js';
import { InertText } from '../../components/InertText.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { selectIsTasksLoaded, selectSelectedTaskId, selectTasks, selectVisibleTasksByColumn } from '../../state/selectors.js';
import { PolicyBadges } from '../approvals/PolicyBadges.js';
import { BoardColumn, dropHintOf } from './BoardColumn.js';
import { dropActionFor, dropActionLabel } from './dropRules.js';
import { useMoveTask } from './useMoveTask.js';
import './board.css';

/** 5 s: fine enough for the seconds shown in a task's first minute; older cards tick once a minute. */
const ELAPSED_TICK_MS = 5_000;

/** 6 px: a click that wobbles a little is still a click, not a drag. */
const DRAG_START_DISTANCE_PX = 6;

function isColumn(id: unknown): id is Column {
  return typeof id === 'string' && (BOARD_COLUMNS as readonly string[]).includes(id);
}

const selectReplayAt = (state: AppState): number | null => (state.replay.mode === 'replay' ? state.replay.at : null);

const SCREEN_READER_INSTRUCTIONS =
  'Cards move with the pointer, or with the keyboard: focus a card and press M for its Move to menu, or S to start a task waiting in the Backlog.';

export function Board() {
  const byColumn = useAppStore(selectVisibleTasksByColumn);
  const tasks = useAppStore(selectTasks);
  const isLoaded = useAppStore(selectIsTasksLoaded);
  const selectedTaskId = useAppStore(selectSelectedTaskId);
  const move = useMoveTask();
  const liveNow = useNow(ELAPSED_TICK_MS);
  // A replayed board (features/replay) shows card clocks as of the replay's time, not today's.
  const replayAt = useAppStore(selectReplayAt);
  const now = replayAt ?? liveNow;
  const [activeId, setActiveId] = useState<string | null>(null);
  // A refused drop springs back to where the card was; an accepted one just lets go.
  const [dropAnimation, setDropAnimation] = useState<DropAnimation | null>(defaultDropAnimation);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: DRAG_START_DISTANCE_PX } }));
  const active = activeId === null ? null : (tasks[activeId] ?? null);
  const tasksRef = useRef(tasks);
  tasksRef.current = tasks;

  const announcements = useMemo<Announcements>(() => {
    const titleOf = (id: string | number) => tasksRef.current[String(id)]?.title ?? 'the card';
    const verdict = (id: string | number, over: string | number | undefined) => {
      const task = tasksRef.current[String(id)];
      if (!task || !isColumn(over)) return 'Not over a column.';
      const action = dropActionFor(task.status, over, task.pendingApproval !== null);
      return action.type === 'refuse' ? `${COLUMN_TITLES[over]}: ${action.reason}` : `${COLUMN_TITLES[over]}: ${dropActionLabel(action, over)}`;
    };
    return {
      onDragStart: ({ active: a }) => `Picked up ${titleOf(a.id)}.`,
      onDragOver: ({ active: a, over }) => verdict(a.id, over?.id),
      onDragEnd: ({ active: a, over }) => `Dropped ${titleOf(a.id)}. ${verdict(a.id, over?.id)}`,
      onDragCancel: ({ active: a }) => `Put ${titleOf(a.id)} back.`,
    };
  }, []);

  function onDragStart(event: DragStartEvent) {
    setActiveId(String(event.active.id));
    setDropAnimation(defaultDropAnimation);
  }

  function onDragEnd(event: DragEndEvent) {
    setActiveId(null);
    const task = tasksRef.current[String(event.active.id)];
    const over = event.over?.id;
    if (!task || !isColumn(over)) return;
    const action = move(task, over);
    if (action.type === 'start') setDropAnimation(null);
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={pointerWithin}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActiveId(null)}
      accessibility={{ announcements, screenReaderInstructions: { draggable: SCREEN_READER_INSTRUCTIONS } }}
    >
      <div className={`board ${active ? 'is-dragging' : ''}`} aria-busy={!isLoaded}>
        {BOARD_COLUMNS.map((column) => (
          <BoardColumn
            key={column}
            column={column}
            tasks={byColumn[column]}
            now={now}
            selectedTaskId={selectedTaskId}
            dropHint={dropHintOf(active ? dropActionFor(active.status, column, active.pendingApproval !== null) : null)}
          />
        ))}
      </div>
      <DragOverlay dropAnimation={dropAnimation}>{active ? <CardGhost task={active} /> : null}</DragOverlay>
    </DndContext>
  );
}

/** What follows the pointer: the card's face, without its controls. */
function CardGhost({ task }: { task: Task }) {
  return (
    <div className="card card-ghost" aria-hidden="true">
      <div className="card-open">
        <InertText text={task.title} />
      </div>
      <div className="card-meta">
        <span className="card-repo truncate">
          <InertText text={task.repoName} />
        </span>
        <span className="card-branch mono truncate">
          <InertText text={task.branch} />
        </span>
      </div>
      <div className="card-foot">
        <span className="card-badges">
          <StatusBadge status={task.status} />
          <PolicyBadges task={task} />
        </span>
      </div>
    </div>
  );
}
