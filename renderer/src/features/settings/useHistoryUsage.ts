import { useEffect, useState } from 'react';
import { errorMessage } from '../../state/startSync.js';
import type { UiClient } from '../../transport/uiClient.js';

export type HistoryUsageState =
  | { status: 'measuring' }
  | { status: 'ready'; recordingsBytes: number; databaseBytes: number }
  | { status: 'failed'; message: string };

/** `history.usage`: the space recordings and the database take, measured when Settings opens. */
export function useHistoryUsage(client: UiClient): HistoryUsageState {
  const [usage, setUsage] = useState<HistoryUsageState>({ status: 'measuring' });
  useEffect(() => {
    let isCurrent = true;
    client.invoke('history.usage', {}).then(
      (measured) => isCurrent && setUsage({ status: 'ready', ...measured }),
      (error: unknown) => isCurrent && setUsage({ status: 'failed', message: errorMessage(error) }),
    );
    return () => {
      isCurrent = false;
    };
  }, [client]);
  return usage;
}
