import type { UiClient } from '../transport/uiClient.js';
import type { AppStore } from './appStore.js';

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Keeps the store a mirror of the host: live events first (so nothing slips between the
 * load and the subscription), then a full load, and a full reload after every reconnect
 * because events sent while the link was down are gone. Returns a disposer.
 */
export function startSync(client: UiClient, store: AppStore): () => void {
  let isStopped = false;

  async function reload(): Promise<void> {
    try {
      const [tasks, repos] = await Promise.all([client.invoke('tasks.list', {}), client.invoke('repos.list', {})]);
      if (isStopped) return;
      const state = store.getState();
      state.receiveTaskList(tasks.tasks);
      state.receiveRepos(repos.repos);
      state.setLoadError(null);
    } catch (error) {
      // A dropped link is reported by the banner and retried on reconnect; anything else is shown.
      if (isStopped || client.connectionStatus() !== 'connected') return;
      store.getState().setLoadError(`Could not load tasks: ${errorMessage(error)}`);
    }
  }

  const offs = [
    client.on('tasks.onDidChange', ({ task }) => store.getState().receiveTask(task)),
    client.on('repos.onDidChange', ({ repos }) => store.getState().receiveRepos(repos)),
    client.onConnectionChange((status) => {
      const previous = store.getState().connection;
      store.getState().setConnection(status);
      if (status === 'connected' && previous === 'reconnecting') void reload();
    }),
  ];
  store.getState().setConnection(client.connectionStatus());
  void reload();

  return () => {
    isStopped = true;
    for (const off of offs) off();
  };
}
