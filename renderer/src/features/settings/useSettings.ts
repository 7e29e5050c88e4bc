import { useEffect, useState } from 'react';
import type { Settings } from '../../../../shared/model/settings.js';
import { errorMessage } from '../../state/startSync.js';
import type { UiClient } from '../../transport/uiClient.js';

export type SettingsState = { status: 'loading' } | { status: 'ready'; settings: Settings } | { status: 'error'; message: string };

/** The host's settings, loaded when the view opens and kept current by `settings.onDidChange`. */
export function useSettings(client: UiClient): SettingsState {
  const [state, setState] = useState<SettingsState>({ status: 'loading' });
  useEffect(() => {
    let isCurrent = true;
    // Listen first: a change made while the load is in flight must not be lost.
    const off = client.on('settings.onDidChange', ({ settings }) => {
      if (isCurrent) setState({ status: 'ready', settings });
    });
    client.invoke('settings.get', {}).then(
      ({ settings }) => {
        if (isCurrent) setState((s) => (s.status === 'ready' ? s : { status: 'ready', settings }));
      },
      (error: unknown) => {
        if (isCurrent) setState({ status: 'error', message: errorMessage(error) });
      },
    );
    return () => {
      isCurrent = false;
      off();
    };
  }, [client]);
  return state;
}
