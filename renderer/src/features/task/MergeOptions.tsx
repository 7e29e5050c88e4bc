import { useId } from 'react';
import type { MergeStrategy } from '../../../../shared/model/task.js';
import { FileNames } from './FileNames.js';
import type { MergeOptionsState } from './useMergeForm.js';
import { InertText } from '../../components/InertText.js';
import type { ProtectedFile } from './useProtectedFiles.js';
import './merge.css';

/**
 * What goes into a merge besides the branch: the protected files it touches (approved only by
 * ticking the box under their list), the uncommitted files (only when the user ticks the box that
 * names them) and, for a squash, the commit message (Flotilla's draft, editable).
 */
export function MergeOptions({
  strategy,
  preview,
  includeUncommitted,
  onIncludeUncommittedChange,
  message,
  onMessageChange,
  protectedFiles,
  approveProtected,
  onApproveProtectedChange,
}: MergeOptionsState & { strategy: MergeStrategy }) {
  const messageId = useId();
  const uncommitted = preview?.uncommitted ?? [];
  return (
    <>
      {protectedFiles.length > 0 && (
        <ProtectedFiles files={protectedFiles} isApproved={approveProtected} onApprovedChange={onApproveProtectedChange} />
      )}
      {uncommitted.length > 0 && (
        <div className="merge-uncommitted">
          <label className="merge-check">
            <input type="checkbox" checked={includeUncommitted} onChange={(e) => onIncludeUncommittedChange(e.target.checked)} />
            <span>
              Include {uncommitted.length === 1 ? '1 uncommitted file' : `${uncommitted.length} uncommitted files`} (in Changes, under Uncommitted) in the merge
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

/** The protected files with the glob that protects each, then the box that approves them. */
function ProtectedFiles({
  files,
  isApproved,
  onApprovedChange,
}: {
  files: readonly ProtectedFile[];
  isApproved: boolean;
  onApprovedChange: (approve: boolean) => void;
}) {
  const count = files.length === 1 ? '1 protected file' : `${files.length} protected files`;
  return (
    <div className="merge-protected" role="group" aria-label="Protected files">
      <p className="merge-protected-title">
        Touches {count}: merging needs your approval.
      </p>
      <ul className="merge-files merge-protected-files" aria-label="Protected files this merge changes">
        {files.map(({ file, pattern }) => (
          <li key={file}>
            <span className="mono">
              <InertText text={file} />
            </span>
            {pattern !== null && (
              <span className="merge-why">
                {' '}
                matches <code className="mono">{pattern}</code>
              </span>
            )}
          </li>
        ))}
      </ul>
      <label className="merge-check">
        <input type="checkbox" checked={isApproved} onChange={(e) => onApprovedChange(e.target.checked)} />
        <span>Approve changes to these protected files</span>
      </label>
    </div>
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
