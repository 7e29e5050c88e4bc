import type { AppStore } from './state/appStore.js';
import { resolveTheme, saveThemePreference } from './state/theme.js';

/**
 * Mirrors the theme preference onto <html data-theme> and localStorage, and follows the
 * OS setting while the preference is "system". Returns a disposer.
 */
export function bindTheme(store: AppStore, root: HTMLElement, storage: Storage | undefined): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    const resolved = resolveTheme(store.getState().theme, media.matches);
    root.dataset.theme = resolved;
    root.style.colorScheme = resolved;
  };
  apply();
  const offStore = store.subscribe((state, previous) => {
    if (state.theme === previous.theme) return;
    saveThemePreference(storage, state.theme);
    apply();
  });
  media.addEventListener('change', apply);
  return () => {
    offStore();
    media.removeEventListener('change', apply);
  };
}
