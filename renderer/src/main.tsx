// Must stay the first import: see zodJitless.ts.
import './zodJitless.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { AppProvider } from './appContext.js';
import { bindTheme } from './applyTheme.js';
import { createAppStore } from './state/appStore.js';
import { startSync } from './state/startSync.js';
import { loadThemePreference } from './state/theme.js';
import { createClient } from './transport/createClient.js';
import { scrubTokenFromAddressBar } from './transport/scrubToken.js';
import './styles.css';

/** Composition root of the UI: one store, one client, wired once for the page's life. */
function start(): void {
  scrubTokenFromAddressBar();
  const storage = safeLocalStorage();
  const store = createAppStore({ theme: loadThemePreference(storage) });
  bindTheme(store, document.documentElement, storage);
  const client = createClient();
  startSync(client, store);
  const rootElement = document.getElementById('root');
  if (!rootElement) throw new Error('index.html has no #root');
  createRoot(rootElement).render(
    <StrictMode>
      <AppProvider store={store} client={client}>
        <App />
      </AppProvider>
    </StrictMode>,
  );
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
