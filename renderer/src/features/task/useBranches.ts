import { useEffect, useState } from 'react';
import type { UiClient } from '../../transport/uiClient.js';
import { errorMessage } from '../../state/startSync.js';

export type BranchesState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; branches: readonly string[]; current: string }
  | { status: 'error'; message: string };

/** The branches of one repo, reloaded when the repo changes; stale replies are dropped. */
export function useBranches(client: UiClient, repoId: string | null): BranchesState {
  const [state, setState] = useState<BranchesState>({ status: 'idle' });
  useEffect(() => {
    if (repoId === null) {
      setState({ status: 'idle' });
      return;
    }
    let isCurrent = true;
    setState({ status: 'loading' });
    client.invoke('repos.branches', { id: repoId }).then(
      (result) => {
        if (!isCurrent) return;
        setState(result.ok ? { status: 'ready', branches: result.branches, current: result.current } : { status: 'error', message: result.message });
      },
      (error: unknown) => {
        if (isCurrent) setState({ status: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [client, repoId]);
  return state;
}
