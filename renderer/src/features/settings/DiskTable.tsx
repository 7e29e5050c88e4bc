import { formatBytes, plural, totalBytes, type DiskRow } from './diskRows.js';
import { DiskTableRow } from './DiskTableRow.js';
import type { DiskFocus } from './useDiskFocus.js';
import type { DiskRemoval } from './useDiskRemoval.js';

/** The worktrees on disk, largest first, with their total in the caption. */
export function DiskTable({
  rows,
  isMeasuring,
  removal,
  focus,
}: {
  rows: readonly DiskRow[];
  isMeasuring: boolean;
  removal: DiskRemoval;
  focus: DiskFocus;
}) {
  const isLocked = removal.bulk.status === 'running';
  return (
    <div className="disk-table-wrap">
      <table className="disk-table" aria-busy={isMeasuring}>
        <caption>
          {rows.length === 0 ? (
            'No worktrees on disk.'
          ) : (
            <>
              <strong>{formatBytes(totalBytes(rows))}</strong> in {plural(rows.length, 'worktree')}, largest first
            </>
          )}
        </caption>
        <thead>
          <tr>
            <th scope="col">Repo</th>
            <th scope="col">Task</th>
            <th scope="col">Folder</th>
            <th scope="col" className="disk-num">
              Size
            </th>
            <th scope="col">Uncommitted</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <DiskTableRow
              key={row.path}
              row={row}
              state={removal.rowState(row.path)}
              isLocked={isLocked}
              buttonRef={focus.rowButton(row.path)}
              onRemove={() => removal.askOrRemove(row)}
              onConfirm={() => removal.confirmRemove(row)}
              onKeep={() => removal.keep(row)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
