import type { ContractClient } from '../../../shared/contract.js';
import type { AppStore } from '../state/appStore.js';

/**
 * `flotilla open PATH`, or a second launch of the desktop app with a path, asks every window to
 * show that repo (`repos.onDidOpen`): the board narrows to it, as if picked in the repo filter,
 * and says so. Returns an unsubscribe function.
 */
export function followOpenedRepos(client: Pick<ContractClient, 'on'>, store: AppStore): () => void {
  return client.on('repos.onDidOpen', ({ repo }) => {
    const state = store.getState();
    state.receiveRepo(repo);
    state.setRepoFilter([repo.id]);
    state.showToast(`Showing ${repo.name}`);
  });
}
