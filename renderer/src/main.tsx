// Must stay the first import: see zodJitless.ts.
import './zodJitless.js';
// The shared sheets first: each component's own sheet comes after them and may refine them.
import './theme/tokens.css';
import './theme/base.css';
import './theme/controls.css';
import './theme/forms.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { AppProvider } from './appContext.js';
import { bindTheme } from './applyTheme.js';
import { followOpenedRepos } from './desktop/followOpenedRepos.js';
import { createActivityStore, startActivity } from './state/activityStore.js';
import { createAppStore, type AppStore } from './state/appStore.js';
import { createBrowserAttention } from './state/browserAttention.js';
import { loadRepoFilter, saveRepoFilter } from './state/repoFilter.js';
import { startAttention } from './state/startAttention.js';
import { startSync } from './state/startSync.js';
import { loadThemePreference } from './state/theme.js';
import { createClient } from './transport/createClient.js';
import { scrubTokenFromAddressBar } from './transport/scrubToken.js';

/** Composition root of the UI: one store, one client, wired once for the page's life. */
function start(): void {
  scrubTokenFromAddressBar();
  const storage = safeLocalStorage();
  const store = createAppStore({ theme: loadThemePreference(storage), repoFilter: loadRepoFilter(storage) });
  bindTheme(store, document.documentElement, storage);
  bindRepoFilter(store, storage);
  const client = createClient();
  const activity = createActivityStore();
  // Activity first: the line of a task that starts during the first load is not missed.
  startActivity(client, activity);
  startSync(client, store);
  followOpenedRepos(client, store);
  startAttention(store, createBrowserAttention(window, (id) => store.getState().openTask(id)));
  const rootElement = document.getElementById('root');
  if (!rootElement) throw new Error('index.html has no #root');
  createRoot(rootElement).render(
    <StrictMode>
      <AppProvider store={store} client={client} activity={activity}>
        <App />
      </AppProvider>
    </StrictMode>,
  );
}

/** Keeps the repo filter in localStorage, so the board opens the way it was left. */
function bindRepoFilter(store: AppStore, storage: Storage | undefined): void {
  store.subscribe((state, previous) => {
    if (state.repoFilter !== previous.repoFilter) saveRepoFilter(storage, state.repoFilter);
  });
}

/** Reading `localStorage` itself throws where storage is disabled. */
function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

start();
