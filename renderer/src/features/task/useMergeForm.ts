import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Failure, MethodInput } from '../../../../shared/contract.js';
import type { MergeStrategy, Task } from '../../../../shared/model/task.js';
import { useClient } from '../../appContext.js';
import { useProtectedFiles, withIncludedUncommitted, type ProtectedFile } from './useProtectedFiles.js';

export interface MergePreview {
  /** The tip shown to the user; sent with the merge so a branch that moved since is refused. */
  tip: string | null;
  /** Files changed in the worktree but not committed: a merge needs the user to include them. */
  uncommitted: readonly string[];
  /** Flotilla's draft of the commit message (editable for a squash). */
  message: string;
}

/** What MergeOptions shows and edits. */
export interface MergeOptionsState {
  preview: MergePreview | null;
  includeUncommitted: boolean;
  onIncludeUncommittedChange: (include: boolean) => void;
  /** The message as edited; null while it is still the draft. */
  message: string | null;
  onMessageChange: (message: string) => void;
  /** The repo's protected paths the branch touches: a merge needs `approveProtected` ticked. */
  protectedFiles: readonly ProtectedFile[];
  approveProtected: boolean;
  onApproveProtectedChange: (approve: boolean) => void;
}

/**
 * The merge form shared by the task view and the Finish dialog: what a merge of `task` would
 * take (asked again whenever the task or the strategy changes, and after a refusal: files written
 * by hand in the worktree change no task), the user's choices, and the `tasks.merge` input they
 * make, carrying the tip shown so that a branch that moved since is refused.
 */
export function useMergeForm(
  task: Task,
  strategy: MergeStrategy,
  isEnabled: boolean,
): {
  options: MergeOptionsState;
  isReady: boolean;
  request: () => MethodInput<'tasks.merge'>;
  /** After a refused merge: a moved branch, new uncommitted or newly protected files are shown as they are now. */
  onRefused: (failure: Failure) => void;
} {
  const client = useClient();
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [includeUncommitted, setIncludeUncommitted] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const guarded = useProtectedFiles(task, isEnabled);
  const protectedList = useMemo(
    () => withIncludedUncommitted(guarded.files, includeUncommitted ? (preview?.uncommitted ?? []) : [], guarded.patterns),
    [guarded.files, guarded.patterns, includeUncommitted, preview],
  );
  const [approveProtected, setApproveProtected] = useState(false);
  // An approval covers the files it named: a different list must be ticked again.
  const protectedKey = protectedList.map((f) => f.file).join('\n');
  const [approvedKey, setApprovedKey] = useState(protectedKey);
  if (approvedKey !== protectedKey) {
    setApprovedKey(protectedKey);
    setApproveProtected(false);
  }
  useEffect(() => {
    if (!isEnabled) return;
    let isCurrent = true;
    client.invoke('tasks.mergePreview', { id: task.id, strategy }).then(
      (reply) => {
        if (isCurrent) setPreview(reply.ok ? { tip: reply.tip, uncommitted: reply.uncommitted, message: reply.message } : null);
      },
      () => isCurrent && setPreview(null),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, task.id, task.updatedAt, strategy, isEnabled, asked]);

  const request = useCallback(
    (): MethodInput<'tasks.merge'> => ({
      id: task.id,
      strategy,
      includeUncommitted,
      approveProtected: approveProtected && protectedList.length > 0,
      ...(preview?.tip ? { expectedTip: preview.tip } : {}),
      ...(strategy === 'squash' && message !== null ? { message } : {}),
    }),
    [task.id, strategy, includeUncommitted, approveProtected, protectedList.length, preview, message],
  );
  const { refresh: refreshProtected } = guarded;
  const onRefused = useCallback(
    (failure: Failure) => {
      if (failure.kind === 'changed' || failure.kind === 'uncommitted') setAsked((n) => n + 1);
      // A file became protected meanwhile (or the branch moved): list what needs approving now.
      if (failure.kind === 'protected' || failure.kind === 'changed') refreshProtected();
    },
    [refreshProtected],
  );
  return {
    options: {
      preview,
      includeUncommitted,
      onIncludeUncommittedChange: setIncludeUncommitted,
      message,
      onMessageChange: setMessage,
      protectedFiles: protectedList,
      approveProtected,
      onApproveProtectedChange: setApproveProtected,
    },
    isReady: preview !== null && (protectedList.length === 0 || approveProtected),
    request,
    onRefused,
  };
}
