import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../state/startSync.js';
import type { UiClient } from '../../transport/uiClient.js';
import type { WorktreeEntry } from './diskRows.js';

/** A measurement keeps the previous table on screen while the next one runs (`du` over every worktree). */
export type UsageState =
  | { status: 'measuring'; previous: WorktreeEntry[] | null }
  | { status: 'ready'; worktrees: WorktreeEntry[] }
  | { status: 'failed'; message: string; previous: WorktreeEntry[] | null };

export function worktreesOf(state: UsageState): WorktreeEntry[] | null {
  return state.status === 'ready' ? state.worktrees : state.previous;
}

/** `worktrees.usage`, measured on mount and on `refresh`; `drop` forgets a folder just removed. */
export function useWorktreeUsage(client: UiClient): { usage: UsageState; refresh: () => void; drop: (path: string) => void } {
  const [usage, setUsage] = useState<UsageState>({ status: 'measuring', previous: null });
  // Only the latest request may land: a slow measurement must not overwrite a newer one.
  const latest = useRef(0);

  const refresh = useCallback(() => {
    latest.current += 1;
    const request = latest.current;
    setUsage((state) => ({ status: 'measuring', previous: worktreesOf(state) }));
    client.invoke('worktrees.usage', {}).then(
      ({ worktrees }) => {
        if (request === latest.current) setUsage({ status: 'ready', worktrees });
      },
      (error: unknown) => {
        if (request === latest.current) setUsage((state) => ({ status: 'failed', message: errorMessage(error), previous: worktreesOf(state) }));
      },
    );
  }, [client]);

  useEffect(() => {
    refresh();
    return () => {
      latest.current += 1;
    };
  }, [refresh]);

  const drop = useCallback((path: string) => {
    setUsage((state) => {
      const without = (list: WorktreeEntry[] | null) => list && list.filter((w) => w.path !== path);
      if (state.status === 'ready') return { status: 'ready', worktrees: without(state.worktrees) ?? [] };
      return { ...state, previous: without(state.previous) };
    });
  }, []);

  return { usage, refresh, drop };
}
