import { useCallback, useEffect, useState } from 'react';
import { compileGlob } from '../../../../shared/model/protectedPaths.js';
import type { Task } from '../../../../shared/model/task.js';
import { useAppStore, useClient } from '../../appContext.js';
import { selectRepos } from '../../state/selectors.js';

/** A protected file the task's branch touches, and the repo's glob that protects it (the "why"). */
export interface ProtectedFile {
  file: string;
  /** The first of the repo's globs matching the file; null if none does here (changed meanwhile). */
  pattern: string | null;
}

/** Each file with the first pattern that matches it, in the host's order. */
export function explainProtectedFiles(files: readonly string[], patterns: readonly string[]): ProtectedFile[] {
  const matchers = patterns.flatMap((pattern) => {
    const glob = compileGlob(pattern);
    return glob.ok ? [{ pattern, matches: glob.matches }] : [];
  });
  return files.map((file) => ({ file, pattern: matchers.find((m) => m.matches(file))?.pattern ?? null }));
}

/**
 * The repo's protected paths this task's branch touches (`tasks.protectedFiles`), for the card
 * and the merge controls to name before a merge. Asked while `isEnabled` (a task in Review), again
 * when the task or its repo's globs change, and on `refresh` (after a `protected` refusal).
 */
export function useProtectedFiles(task: Task, isEnabled: boolean): { files: readonly ProtectedFile[]; refresh: () => void } {
  const client = useClient();
  const globs = useAppStore((state) => selectRepos(state).find((repo) => repo.id === task.repoId)?.settings.protectedPaths);
  // Joined: a repo object replaced with the same globs asks nothing again.
  const globKey = (globs ?? []).join('\n');
  const [files, setFiles] = useState<readonly ProtectedFile[]>([]);
  const [asked, setAsked] = useState(0);
  // No globs in the store: nothing to ask, unless a refusal said otherwise (refresh).
  const shouldAsk = isEnabled && (globKey !== '' || asked > 0);
  useEffect(() => {
    if (!shouldAsk) {
      setFiles([]);
      return;
    }
    let isCurrent = true;
    client.invoke('tasks.protectedFiles', { id: task.id }).then(
      (reply) => isCurrent && setFiles(reply.ok ? explainProtectedFiles(reply.files, reply.patterns) : []),
      () => isCurrent && setFiles([]),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, task.id, task.updatedAt, shouldAsk, globKey, asked]);
  const refresh = useCallback(() => setAsked((n) => n + 1), []);
  return { files, refresh };
}
