import { useCallback, useEffect, useState } from 'react';
import { compileGlob, protectedFiles } from '../../../../shared/model/protectedPaths.js';
import type { Task } from '../../../../shared/model/task.js';
import { useAppStore, useClient } from '../../appContext.js';
import { selectRepos } from '../../state/selectors.js';

/** A protected file the task's branch touches, and the repo's glob that protects it (the "why"). */
export interface ProtectedFile {
  file: string;
  /** The first of the repo's globs matching the file; null if none does here (changed meanwhile). */
  pattern: string | null;
}

const NONE = { files: [], patterns: [] };

/** Each file with the first pattern that matches it, in the host's order. */
export function explainProtectedFiles(files: readonly string[], patterns: readonly string[]): ProtectedFile[] {
  const matchers = patterns.flatMap((pattern) => {
    const glob = compileGlob(pattern);
    return glob.ok ? [{ pattern, matches: glob.matches }] : [];
  });
  return files.map((file) => ({ file, pattern: matchers.find((m) => m.matches(file))?.pattern ?? null }));
}

/**
 * What a merge would have approved: the branch's protected files and, when the user includes the
 * uncommitted files, those of them the globs protect too (the host's gate counts both), sorted.
 */
export function withIncludedUncommitted(
  branchFiles: readonly ProtectedFile[],
  includedUncommitted: readonly string[],
  patterns: readonly string[],
): readonly ProtectedFile[] {
  const known = new Set(branchFiles.map((f) => f.file));
  const extra = explainProtectedFiles(protectedFiles(includedUncommitted, patterns), patterns).filter((f) => !known.has(f.file));
  if (extra.length === 0) return branchFiles;
  return [...branchFiles, ...extra].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/**
 * The repo's protected paths this task's branch touches (`tasks.protectedFiles`), for the card
 * and the merge controls to name before a merge. Asked while `isEnabled` (a task in Review), again
 * when the task or its repo's globs change, and on `refresh` (after a `protected` refusal).
 */
export function useProtectedFiles(task: Task, isEnabled: boolean): { files: readonly ProtectedFile[]; patterns: readonly string[]; refresh: () => void } {
  const client = useClient();
  const globs = useAppStore((state) => selectRepos(state).find((repo) => repo.id === task.repoId)?.settings.protectedPaths);
  // Joined: a repo object replaced with the same globs asks nothing again.
  const globKey = (globs ?? []).join('\n');
  const [found, setFound] = useState<{ files: readonly ProtectedFile[]; patterns: readonly string[] }>(NONE);
  const [asked, setAsked] = useState(0);
  // No globs in the store: nothing to ask, unless a refusal said otherwise (refresh).
  const shouldAsk = isEnabled && (globKey !== '' || asked > 0);
  useEffect(() => {
    if (!shouldAsk) {
      setFound(NONE);
      return;
    }
    let isCurrent = true;
    client.invoke('tasks.protectedFiles', { id: task.id }).then(
      (reply) => isCurrent && setFound(reply.ok ? { files: explainProtectedFiles(reply.files, reply.patterns), patterns: reply.patterns } : NONE),
      () => isCurrent && setFound(NONE),
    );
    return () => {
      isCurrent = false;
    };
  }, [client, task.id, task.updatedAt, shouldAsk, globKey, asked]);
  const refresh = useCallback(() => setAsked((n) => n + 1), []);
  return { ...found, refresh };
}
