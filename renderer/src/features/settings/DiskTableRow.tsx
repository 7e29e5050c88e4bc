import { StatusBadge } from '../../components/StatusBadge.js';
import { DiskConfirm } from './DiskConfirm.js';
import { describeUncommitted, folderName, formatBytes, plural, splitPathForEllipsis, type DiskRow } from './diskRows.js';
import type { RowState } from './useDiskRemoval.js';

/** The table's columns: a detail line (a confirmation, an error) spans them all. */
export const DISK_COLUMNS = 6;

/**
 * One worktree: its repo, task, folder (cut in the middle), size, uncommitted work and either
 * Remove or why it is kept; under it, while needed, the confirmation or the error of a removal.
 */
export function DiskTableRow({
  row,
  state,
  isLocked,
  buttonRef,
  onRemove,
  onConfirm,
  onKeep,
}: {
  row: DiskRow;
  state: RowState;
  /** A clean-up is running: one removal at a time. */
  isLocked: boolean;
  buttonRef: (el: HTMLButtonElement | null) => void;
  onRemove: () => void;
  onConfirm: () => void;
  onKeep: () => void;
}) {
  const name = folderName(row.path);
  const { head, tail } = splitPathForEllipsis(row.path);
  const isDirty = row.uncommitted.count > 0;

  return (
    <>
      <tr className={state.status === 'removing' ? 'is-removing' : undefined}>
        <td className="disk-repo">{row.repoName ?? <span className="muted">unknown</span>}</td>
        <td className="disk-task">
          {row.taskId === null ? (
            <span className="muted">no task</span>
          ) : (
            <span className="disk-task-cell">
              <span className="disk-task-title" title={row.taskTitle ?? row.taskId}>
                {row.taskTitle ?? row.taskId}
              </span>
              {row.taskStatus && <StatusBadge status={row.taskStatus} />}
            </span>
          )}
        </td>
        <th scope="row" className="disk-path mono" title={row.path}>
          <span className="disk-path-inner">
            <span className="disk-path-head">{head}</span>
            <span className="disk-path-tail">{tail}</span>
          </span>
        </th>
        <td className="disk-num">{formatBytes(row.bytes)}</td>
        <td>
          {row.uncommitted.error !== null ? (
            <span className="badge tone-attention" title={describeUncommitted(row.uncommitted)}>
              not inspected
            </span>
          ) : isDirty ? (
            <span className="badge tone-attention" title={describeUncommitted(row.uncommitted)}>
              {plural(row.uncommitted.count, 'file')}
            </span>
          ) : (
            <>
              <span className="muted" aria-hidden="true">
                —
              </span>
              <span className="visually-hidden">none</span>
            </>
          )}
        </td>
        <td className="disk-action">
          {row.removal.kind === 'kept' ? (
            <span className="disk-kept">{row.removal.reason}</span>
          ) : (
            <button
              type="button"
              ref={buttonRef}
              className="btn btn-sm btn-quiet btn-danger-quiet"
              aria-label={`Remove ${name}`}
              disabled={isLocked || state.status !== 'idle'}
              onClick={onRemove}
            >
              {state.status === 'removing' ? 'Removing…' : 'Remove'}
            </button>
          )}
        </td>
      </tr>
      {state.status === 'confirm' && (
        <tr className="disk-detail-row">
          <td colSpan={DISK_COLUMNS}>
            <DiskConfirm
              label={`Delete uncommitted work in ${name}?`}
              action={{ label: 'Delete with uncommitted work', tone: 'danger' }}
              cancel="Keep"
              autoFocus="cancel"
              onConfirm={onConfirm}
              onCancel={onKeep}
            >
              Removing <strong>{name}</strong> deletes {state.lost}. Uncommitted work is on no branch and cannot be recovered.
            </DiskConfirm>
          </td>
        </tr>
      )}
      {state.status === 'idle' && state.error !== null && (
        <tr className="disk-detail-row">
          <td colSpan={DISK_COLUMNS}>
            <p className="form-error" role="alert">
              Could not remove {name}: {state.error}
            </p>
          </td>
        </tr>
      )}
    </>
  );
}
