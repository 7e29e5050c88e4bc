import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useAppStore, useClient } from '../../appContext.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { selectTasks } from '../../state/selectors.js';
import { errorMessage } from '../../state/startSync.js';
import {
  cleanupPlan,
  describeUncommitted,
  diskRows,
  focusAfterRemoval,
  folderName,
  formatBytes,
  splitPathForEllipsis,
  totalBytes,
  type DiskRow,
} from './diskRows.js';
import { useWorktreeUsage, worktreesOf } from './useWorktreeUsage.js';
import './settings.css';
import './diskSettings.css';

type RowState =
  | { status: 'idle'; error: string | null }
  /** Waiting for the user to confirm deleting uncommitted work; `lost` names it. */
  | { status: 'confirm'; lost: string }
  | { status: 'removing' };

type BulkState = { status: 'idle' } | { status: 'confirm' } | { status: 'running'; done: number; total: number };

/** Where focus goes after an action changed what is on screen. */
type FocusTarget = { type: 'row'; path: string } | { type: 'refresh' } | { type: 'cleanup' };

const IDLE: RowState = { status: 'idle', error: null };

/**
 * Disk used by Flotilla's worktrees, largest first, with removal of what no task needs any more.
 * Uncommitted work is only deleted after a confirmation that names it; the host checks again.
 */
export function DiskSettings() {
  const client = useClient();
  const tasks = useAppStore(selectTasks);
  const { usage, refresh, drop } = useWorktreeUsage(client);
  const worktrees = worktreesOf(usage);
  const rows = useMemo(() => diskRows(worktrees ?? [], tasks), [worktrees, tasks]);
  const plan = useMemo(() => cleanupPlan(rows), [rows]);
  const [rowStates, setRowStates] = useState<Record<string, RowState | undefined>>({});
  const [bulk, setBulk] = useState<BulkState>({ status: 'idle' });
  const [notice, setNotice] = useState('');
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const refreshButton = useRef<HTMLButtonElement>(null);
  const cleanupButton = useRef<HTMLButtonElement>(null);
  const [focusRequest, setFocusRequest] = useState<FocusTarget | null>(null);
  const titleId = useId();

  const isMeasuring = usage.status === 'measuring';
  const isBulkRunning = bulk.status === 'running';

  // Focus follows a removal to the next row (or back to a row's button after "Keep"); done after
  // the render that dropped the row, so the target exists and the removed button is gone.
  useEffect(() => {
    if (focusRequest === null) return;
    if (focusRequest.type === 'row' && !rows.some((row) => row.path === focusRequest.path)) {
      setFocusRequest(null); // gone by a refresh meanwhile: leave focus where it is
      return;
    }
    const target =
      focusRequest.type === 'row' ? buttons.current.get(focusRequest.path) : focusRequest.type === 'cleanup' ? cleanupButton.current : refreshButton.current;
    if (!target || target.disabled) return; // not rendered or enabled yet: the next render tries again
    setFocusRequest(null);
    target.focus();
  }, [focusRequest, rows, rowStates, bulk, usage]);

  const setRow = (path: string, state: RowState) => setRowStates((s) => ({ ...s, [path]: state }));

  async function remove(row: DiskRow, isForced: boolean): Promise<boolean> {
    setRow(row.path, { status: 'removing' });
    try {
      const result = await client.invoke('worktrees.remove', { path: row.path, confirmUncommitted: isForced });
      if (result.ok) {
        setRow(row.path, IDLE);
        drop(row.path);
        return true;
      }
      // The folder changed since it was measured: the host found uncommitted work. Ask, naming it.
      if (!isForced && result.kind === 'invalid_state' && /uncommitted/.test(result.message)) {
        // The host says "(N files, e.g. PATH)": that names what would be lost.
        const found = /\(([^)]*)\)/.exec(result.message)?.[1];
        setRow(row.path, { status: 'confirm', lost: `uncommitted changes made since it was measured (${found ?? result.message})` });
      } else {
        setRow(row.path, { status: 'idle', error: result.message });
      }
    } catch (error) {
      setRow(row.path, { status: 'idle', error: errorMessage(error) });
    }
    return false;
  }

  async function removeOne(row: DiskRow, isForced: boolean) {
    const next = focusAfterRemoval(rows, row.path);
    if (await remove(row, isForced)) {
      setFocusRequest(next === null ? { type: 'refresh' } : { type: 'row', path: next });
      setNotice(`Removed ${folderName(row.path)}; ${formatBytes(row.bytes)} freed.`);
    } else {
      setFocusRequest({ type: 'row', path: row.path });
    }
  }

  function askOrRemove(row: DiskRow) {
    setNotice('');
    // A folder git could not inspect is never removed: the host refuses and says why.
    if (row.uncommitted.count > 0 && row.uncommitted.error === null) setRow(row.path, { status: 'confirm', lost: describeUncommitted(row.uncommitted) });
    else void removeOne(row, false);
  }

  function keep(row: DiskRow) {
    setRow(row.path, IDLE);
    setFocusRequest({ type: 'row', path: row.path });
  }

  async function cleanUp() {
    const targets = plan.rows;
    setNotice('');
    setBulk({ status: 'running', done: 0, total: targets.length });
    let removed = 0;
    let freed = 0;
    for (const [index, row] of targets.entries()) {
      // One at a time: each is a `git worktree remove` on a repo whose lock other work may need.
      if (await remove(row, false)) {
        removed += 1;
        freed += row.bytes;
      }
      setBulk({ status: 'running', done: index + 1, total: targets.length });
    }
    setBulk({ status: 'idle' });
    setFocusRequest({ type: 'refresh' });
    const failed = targets.length - removed;
    setNotice(
      [
        `Removed ${plural(removed, 'worktree')}; ${formatBytes(freed)} freed.`,
        failed > 0 ? `${plural(failed, 'worktree')} could not be removed: see ${failed === 1 ? 'its row' : 'their rows'}.` : '',
        plan.skippedDirty > 0 ? `Kept ${plural(plan.skippedDirty, 'worktree')} with uncommitted work: remove ${plan.skippedDirty === 1 ? 'it' : 'them'} one by one.` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }

  const progress = isBulkRunning ? `Removing ${bulk.done + 1} of ${bulk.total}…` : isMeasuring ? 'Measuring…' : '';

  return (
    <section className="settings-section disk" aria-labelledby={titleId}>
      <div className="disk-toolbar">
        <h3 className="section-title caps-label" id={titleId}>
          Worktrees on disk
        </h3>
        <span className="disk-progress" role="status">
          {progress !== '' && <span className="spinner" aria-hidden="true" />}
          {progress}
        </span>
        <button type="button" ref={refreshButton} className="btn btn-sm" onClick={refresh} disabled={isMeasuring || isBulkRunning}>
          Refresh
        </button>
        <button
          type="button"
          ref={cleanupButton}
          className="btn btn-sm"
          disabled={plan.rows.length === 0 || isBulkRunning || bulk.status === 'confirm'}
          onClick={() => setBulk({ status: 'confirm' })}
        >
          Clean up finished{plan.rows.length > 0 ? ` (${plan.rows.length})` : ''}
        </button>
      </div>

      {bulk.status === 'confirm' && (
        <CleanupConfirm
          count={plan.rows.length}
          bytes={plan.bytes}
          skippedDirty={plan.skippedDirty}
          onConfirm={() => void cleanUp()}
          onCancel={() => {
            setBulk({ status: 'idle' });
            setFocusRequest({ type: 'cleanup' });
          }}
        />
      )}

      {usage.status === 'failed' && (
        <p className="form-error" role="alert">
          Could not measure the worktrees: {usage.message}
        </p>
      )}

      <p className="disk-notice" role="status">
        {notice}
      </p>

      {worktrees === null ? (
        usage.status === 'measuring' && <p className="muted">Measuring the worktrees…</p>
      ) : (
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
                  state={rowStates[row.path] ?? IDLE}
                  isLocked={isBulkRunning}
                  buttonRef={(el) => {
                    if (el) buttons.current.set(row.path, el);
                    else buttons.current.delete(row.path);
                  }}
                  onRemove={() => askOrRemove(row)}
                  onConfirm={() => void removeOne(row, true)}
                  onKeep={() => keep(row)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="field-hint">
        Merging or discarding a task removes its worktree. Removing one here deletes the folder only: your checkout and the task’s branch are kept.
      </p>
    </section>
  );
}

const COLUMNS = 6;

function DiskTableRow({
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
  isLocked: boolean;
  buttonRef: (el: HTMLButtonElement | null) => void;
  onRemove: () => void;
  onConfirm: () => void;
  onKeep: () => void;
}) {
  const name = folderName(row.path);
  const { head, tail } = splitPathForEllipsis(row.path);
  const isDirty = row.uncommitted.count > 0;

  function onConfirmKeyDown(event: KeyboardEvent) {
    if (event.key !== 'Escape') return;
    event.stopPropagation(); // cancel this confirmation, not the whole dialog
    event.preventDefault();
    onKeep();
  }

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
          <td colSpan={COLUMNS}>
            <div className="confirm-strip disk-confirm" role="group" aria-label={`Delete uncommitted work in ${name}?`} onKeyDown={onConfirmKeyDown}>
              <span>
                Removing <strong>{name}</strong> deletes {state.lost}. Uncommitted work is on no branch and cannot be recovered.
              </span>
              <button type="button" className="btn btn-sm btn-danger" onClick={onConfirm}>
                Delete with uncommitted work
              </button>
              <button type="button" className="btn btn-sm" onClick={onKeep} autoFocus>
                Keep
              </button>
            </div>
          </td>
        </tr>
      )}
      {state.status === 'idle' && state.error !== null && (
        <tr className="disk-detail-row">
          <td colSpan={COLUMNS}>
            <p className="form-error" role="alert">
              Could not remove {name}: {state.error}
            </p>
          </td>
        </tr>
      )}
    </>
  );
}

function CleanupConfirm({
  count,
  bytes,
  skippedDirty,
  onConfirm,
  onCancel,
}: {
  count: number;
  bytes: number;
  skippedDirty: number;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div
      className="confirm-strip disk-confirm"
      role="group"
      aria-label="Clean up finished worktrees?"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        event.preventDefault();
        onCancel();
      }}
    >
      <span>
        Remove {plural(count, 'finished worktree')} with no uncommitted work, freeing {formatBytes(bytes)}?
        {skippedDirty > 0 && ` ${plural(skippedDirty, 'worktree')} with uncommitted work ${skippedDirty === 1 ? 'is' : 'are'} kept.`}
      </span>
      <button type="button" className="btn btn-sm btn-primary" onClick={onConfirm} autoFocus>
        Remove {plural(count, 'worktree')}
      </button>
      <button type="button" className="btn btn-sm" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
