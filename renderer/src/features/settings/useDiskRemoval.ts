import { useState } from 'react';
import { errorMessage } from '../../state/startSync.js';
import type { UiClient } from '../../transport/uiClient.js';
import { cleanupNotice, describeUncommitted, focusAfterRemoval, folderName, formatBytes, type DiskRow } from './diskRows.js';
import type { DiskFocus } from './useDiskFocus.js';

export type RowState =
  | { status: 'idle'; error: string | null }
  /** Waiting for the user to confirm deleting uncommitted work; `lost` names it. */
  | { status: 'confirm'; lost: string }
  | { status: 'removing' };

export type BulkState = { status: 'idle' } | { status: 'confirm' } | { status: 'running'; done: number; total: number };

export const IDLE_ROW: RowState = { status: 'idle', error: null };

export interface DiskRemoval {
  rowState: (path: string) => RowState;
  bulk: BulkState;
  /** What the last removal did, for the status line. */
  notice: string;
  /** Remove: asks first when the row holds uncommitted work. */
  askOrRemove: (row: DiskRow) => void;
  /** "Delete with uncommitted work". */
  confirmRemove: (row: DiskRow) => void;
  /** "Keep": back to the row's Remove button. */
  keep: (row: DiskRow) => void;
  askCleanup: () => void;
  cancelCleanup: () => void;
  /** Removes the plan's worktrees one by one. */
  cleanUp: (targets: readonly DiskRow[], skippedDirty: number) => void;
}

/**
 * Removing worktrees from the Disk tab, one or all finished ones. Uncommitted work is only
 * deleted after a confirmation that names it; the host checks again and says when it finds
 * work made after the measurement, which is then asked about the same way.
 */
export function useDiskRemoval({
  client,
  rows,
  drop,
  focus,
}: {
  client: UiClient;
  rows: readonly DiskRow[];
  /** Forgets a folder just removed, without measuring again. */
  drop: (path: string) => void;
  focus: DiskFocus;
}): DiskRemoval {
  const [rowStates, setRowStates] = useState<Record<string, RowState | undefined>>({});
  const [bulk, setBulk] = useState<BulkState>({ status: 'idle' });
  const [notice, setNotice] = useState('');

  const setRow = (path: string, state: RowState) => setRowStates((s) => ({ ...s, [path]: state }));

  async function remove(row: DiskRow, isForced: boolean): Promise<boolean> {
    setRow(row.path, { status: 'removing' });
    try {
      const result = await client.invoke('worktrees.remove', { path: row.path, confirmUncommitted: isForced });
      if (result.ok) {
        setRow(row.path, IDLE_ROW);
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
      focus.request(next === null ? { type: 'refresh' } : { type: 'row', path: next });
      setNotice(`Removed ${folderName(row.path)}; ${formatBytes(row.bytes)} freed.`);
    } else {
      focus.request({ type: 'row', path: row.path });
    }
  }

  async function cleanUp(targets: readonly DiskRow[], skippedDirty: number) {
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
    focus.request({ type: 'refresh' });
    setNotice(cleanupNotice({ removed, freed, failed: targets.length - removed, skippedDirty }));
  }

  return {
    rowState: (path) => rowStates[path] ?? IDLE_ROW,
    bulk,
    notice,
    askOrRemove(row) {
      setNotice('');
      // A folder git could not inspect is never removed: the host refuses and says why.
      if (row.uncommitted.count > 0 && row.uncommitted.error === null) setRow(row.path, { status: 'confirm', lost: describeUncommitted(row.uncommitted) });
      else void removeOne(row, false);
    },
    confirmRemove: (row) => void removeOne(row, true),
    keep(row) {
      setRow(row.path, IDLE_ROW);
      focus.request({ type: 'row', path: row.path });
    },
    askCleanup: () => setBulk({ status: 'confirm' }),
    cancelCleanup() {
      setBulk({ status: 'idle' });
      focus.request({ type: 'cleanup' });
    },
    cleanUp: (targets, skippedDirty) => void cleanUp(targets, skippedDirty),
  };
}
