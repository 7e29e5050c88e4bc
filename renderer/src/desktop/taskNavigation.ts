import { BOARD_COLUMNS } from '../../../shared/model/boardColumns.js';
import type { AppState } from '../state/appStore.js';
import { selectVisibleTasksByColumn } from '../state/selectors.js';

/**
 * The task after (or before) the open one in the board's reading order: column by column, left
 * to right, each top to bottom, within the repo filter; it wraps around at the ends. With no task
 * open, Next opens the first card and Previous the last. Null when the board shows no card.
 */
export function adjacentTaskId(state: Pick<AppState, 'tasks' | 'repos' | 'repoFilter' | 'selectedTaskId'>, step: 1 | -1): string | null {
  const grouped = selectVisibleTasksByColumn(state);
  const ids = BOARD_COLUMNS.flatMap((column) => grouped[column].map((task) => task.id));
  if (ids.length === 0) return null;
  const current = state.selectedTaskId === null ? -1 : ids.indexOf(state.selectedTaskId);
  if (current === -1) return step === 1 ? (ids[0] ?? null) : (ids[ids.length - 1] ?? null);
  return ids[(current + step + ids.length) % ids.length] ?? null;
}
