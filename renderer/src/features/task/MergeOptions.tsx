import { useId } from 'react';
import type { MergeStrategy } from '../../../../shared/model/task.js';
import { FileNames } from './FileNames.js';
import type { MergeOptionsState } from './useMergeForm.js';
import './merge.css';

/**
 * What goes into a merge besides the branch: the uncommitted files (only when the user ticks the
 * box that names them) and, for a squash, the commit message (Flotilla's draft, editable).
 */
export function MergeOptions({
  strategy,
  preview,
  includeUncommitted,
  onIncludeUncommittedChange,
  message,
  onMessageChange,
}: MergeOptionsState & { strategy: MergeStrategy }) {
  const messageId = useId();
  const uncommitted = preview?.uncommitted ?? [];
  return (
    <>
      {uncommitted.length > 0 && (
        <div className="merge-uncommitted">
          <label className="merge-check">
            <input type="checkbox" checked={includeUncommitted} onChange={(e) => onIncludeUncommittedChange(e.target.checked)} />
            <span>
              Include {uncommitted.length === 1 ? '1 uncommitted file' : `${uncommitted.length} uncommitted files`} that the diff does not show
            </span>
          </label>
          <FileNames files={uncommitted} label="Uncommitted files" className="merge-files" />
        </div>
      )}
      {strategy === 'squash' && (
        <div className="merge-message">
          <label htmlFor={messageId} className="merge-label">
            Commit message
          </label>
          <textarea
            id={messageId}
            className="input mono merge-message-input"
            rows={6}
            value={message ?? preview?.message ?? ''}
            onChange={(e) => onMessageChange(e.target.value)}
          />
        </div>
      )}
    </>
  );
}

/** What each strategy does, in one sentence. */
export function strategyHelp(strategy: MergeStrategy, baseBranch: string, branch: string): string {
  switch (strategy) {
    case 'merge':
      return `A merge commit on ${baseBranch}; the branch ${branch} is kept.`;
    case 'squash':
      return `One squashed commit on ${baseBranch}; the branch ${branch} is deleted.`;
    case 'rebase':
      return `The task's commits replayed on top of ${baseBranch} (linear history); the branch ${branch} is deleted.`;
  }
}
