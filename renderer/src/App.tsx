import { useEffect, useState } from 'react';
import { useActions, useAppStore, useClient, useStoreApi } from './appContext.js';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { Toast } from './components/Toast.js';
import { TopBar } from './components/TopBar.js';
import { useGlobalShortcuts } from './components/useGlobalShortcuts.js';
import { Board } from './features/board/Board.js';
import { TaskDialogs } from './features/board/TaskDialogs.js';
import { CommandPalette } from './features/palette/CommandPalette.js';
import { AddRepoDialog } from './features/repos/AddRepoDialog.js';
import { SettingsDialog, type SettingsTab } from './features/settings/SettingsDialog.js';
import { ProviderSetupCard } from './features/settings/ProviderSetupCard.js';
import { useNeedsProviderSetup } from './features/settings/useProviderSetup.js';
import { NewTaskDialog } from './features/task/NewTaskDialog.js';
import { TaskView } from './features/task/TaskView.js';
import { ReplaysView } from './features/replay/ReplaysView.js';
import { selectDialog, selectSelectedTask } from './state/selectors.js';
import './components/banner.css';
import './app.css';

/** Shown once when the host says its sandbox cannot run: every task would fail. */
function useSandboxWarning(): string | null {
  const client = useClient();
  const [warning, setWarning] = useState<string | null>(null);
  useEffect(() => {
    let isCurrent = true;
    client.invoke('app.info', {}).then(
      (info) => {
        if (isCurrent && !info.sandbox.isAvailable) setWarning(info.sandbox.reason ?? 'sandbox unavailable');
      },
      () => {
        // The banner is advisory; a failed call is already visible elsewhere.
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [client]);
  return warning;
}

export function App() {
  const dialog = useAppStore(selectDialog);
  const selectedTask = useAppStore(selectSelectedTask);
  const { closeDialog, openDialog } = useActions();
  const sandboxWarning = useSandboxWarning();
  const needsProvider = useNeedsProviderSetup(useClient());
  // The tab Settings opens on: General, unless the setup card asked for Providers.
  const [settingsTab, setSettingsTab] = useState<SettingsTab>('general');
  useGlobalShortcuts(useStoreApi());
  return (
    <div className={`app ${selectedTask ? 'has-panel' : ''}`}>
      <TopBar />
      <ConnectionBanner />
      {sandboxWarning !== null && (
        <div className="banner tone-danger" role="alert">
          Agents cannot run commands: {sandboxWarning}
        </div>
      )}
      {needsProvider === true && (
        <ProviderSetupCard
          onAddProvider={() => {
            setSettingsTab('providers');
            openDialog('settings');
          }}
        />
      )}
      <main className="workspace">
        {dialog === 'replays' ? (
          <ReplaysView onClose={closeDialog} />
        ) : (
          <>
            <Board />
            {selectedTask && <TaskView key={selectedTask.id} task={selectedTask} />}
          </>
        )}
      </main>
      {dialog === 'addRepo' && <AddRepoDialog onClose={closeDialog} />}
      {dialog === 'newTask' && <NewTaskDialog onClose={closeDialog} />}
      {dialog === 'palette' && <CommandPalette onClose={closeDialog} />}
      {dialog === 'settings' && (
        <SettingsDialog
          initialTab={settingsTab}
          onClose={() => {
            setSettingsTab('general');
            closeDialog();
          }}
        />
      )}
      <TaskDialogs />
      <Toast />
    </div>
  );
}
