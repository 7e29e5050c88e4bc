import { useId, useMemo } from 'react';
import { useAppStore, useClient } from '../../appContext.js';
import { FormError } from '../../components/FormError.js';
import { selectTasks } from '../../state/selectors.js';
import { DiskConfirm } from './DiskConfirm.js';
import { cleanupPlan, diskRows, formatBytes, plural } from './diskRows.js';
import { DiskTable } from './DiskTable.js';
import { useDiskFocus } from './useDiskFocus.js';
import { useDiskRemoval } from './useDiskRemoval.js';
import { useWorktreeUsage, worktreesOf } from './useWorktreeUsage.js';
import './settings.css';
import './diskSettings.css';

/**
 * Settings → Disk: the disk used by Flotilla's worktrees, largest first, with removal of what no
 * task needs any more (one by one, or every finished one with "Clean up finished").
 */
export function DiskSettings() {
  const client = useClient();
  const tasks = useAppStore(selectTasks);
  const { usage, refresh, drop } = useWorktreeUsage(client);
  const worktrees = worktreesOf(usage);
  const rows = useMemo(() => diskRows(worktrees ?? [], tasks), [worktrees, tasks]);
  const plan = useMemo(() => cleanupPlan(rows), [rows]);
  const focus = useDiskFocus(rows);
  const removal = useDiskRemoval({ client, rows, drop, focus });
  const titleId = useId();

  const isMeasuring = usage.status === 'measuring';
  const { bulk } = removal;
  const isBulkRunning = bulk.status === 'running';
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
        <button type="button" ref={focus.refreshButton} className="btn btn-sm" onClick={refresh} disabled={isMeasuring || isBulkRunning}>
          Refresh
        </button>
        <button
          type="button"
          ref={focus.cleanupButton}
          className="btn btn-sm"
          disabled={plan.rows.length === 0 || isBulkRunning || bulk.status === 'confirm'}
          onClick={removal.askCleanup}
        >
          Clean up finished{plan.rows.length > 0 ? ` (${plan.rows.length})` : ''}
        </button>
      </div>

      {bulk.status === 'confirm' && (
        <DiskConfirm
          label="Clean up finished worktrees?"
          action={{ label: `Remove ${plural(plan.rows.length, 'worktree')}`, tone: 'primary' }}
          cancel="Cancel"
          autoFocus="action"
          onConfirm={() => removal.cleanUp(plan.rows, plan.skippedDirty)}
          onCancel={removal.cancelCleanup}
        >
          Remove {plural(plan.rows.length, 'finished worktree')} with no uncommitted work, freeing {formatBytes(plan.bytes)}?
          {plan.skippedDirty > 0 &&
            ` ${plural(plan.skippedDirty, 'worktree')} with uncommitted work ${plan.skippedDirty === 1 ? 'is' : 'are'} kept.`}
        </DiskConfirm>
      )}

      <FormError message={usage.status === 'failed' ? `Could not measure the worktrees: ${usage.message}` : null} />

      <p className="disk-notice" role="status">
        {removal.notice}
      </p>

      {worktrees === null ? (
        isMeasuring && <p className="muted">Measuring the worktrees…</p>
      ) : (
        <DiskTable rows={rows} isMeasuring={isMeasuring} removal={removal} focus={focus} />
      )}
      <p className="field-hint">
        Merging or discarding a task removes its worktree. Removing one here deletes the folder only: your checkout and the task’s branch are kept.
      </p>
    </section>
  );
}
