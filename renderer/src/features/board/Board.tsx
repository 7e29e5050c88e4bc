import { BOARD_COLUMNS } from '../../../../shared/model/boardColumns.js';
import { useActions, useAppStore } from '../../appContext.js';
import { useNow } from '../../components/useNow.js';
import { selectIsTasksLoaded, selectSelectedTaskId, selectTasksByColumn } from '../../state/selectors.js';
import { BoardColumn } from './BoardColumn.js';

/** 5 s: fine enough for the seconds shown in a task's first minute; only active cards re-render. */
const ELAPSED_TICK_MS = 5_000;

export function Board() {
  const byColumn = useAppStore(selectTasksByColumn);
  const isLoaded = useAppStore(selectIsTasksLoaded);
  const selectedTaskId = useAppStore(selectSelectedTaskId);
  const { openTask } = useActions();
  const now = useNow(ELAPSED_TICK_MS);
  return (
    <div className="board" aria-busy={!isLoaded}>
      {BOARD_COLUMNS.map((column) => (
        <BoardColumn
          key={column}
          column={column}
          tasks={byColumn[column]}
          now={now}
          selectedTaskId={selectedTaskId}
          onOpen={openTask}
        />
      ))}
    </div>
  );
}
