import { createContext, useCallback, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ActivityLine } from './state/activity.js';
import type { ActivityStore } from './state/activityStore.js';
import type { AppActions, AppState, AppStore } from './state/appStore.js';
import type { UiClient } from './transport/uiClient.js';

interface AppDeps {
  store: AppStore;
  client: UiClient;
  activity: ActivityStore;
}

const AppContext = createContext<AppDeps | null>(null);

/** The composition root hands the store and the client down; components never build their own. */
export function AppProvider({ store, client, activity, children }: AppDeps & { children: ReactNode }) {
  return <AppContext.Provider value={{ store, client, activity }}>{children}</AppContext.Provider>;
}

function useDeps(): AppDeps {
  const deps = useContext(AppContext);
  if (!deps) throw new Error('AppProvider is missing above this component');
  return deps;
}

/** Read the store through a named selector (see state/selectors.ts). */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useDeps().store, selector);
}

/** Actions never change, so reading them does not subscribe to anything. */
export function useActions(): AppActions {
  return useDeps().store.getState();
}

/** The store itself, for code that reads it in event handlers rather than rendering from it. */
export function useStoreApi(): AppStore {
  return useDeps().store;
}

export function useClient(): UiClient {
  return useDeps().client;
}

/** One task's live activity line; only that task's updates re-render the caller. */
export function useActivityLine(taskId: string): ActivityLine | undefined {
  const { activity } = useDeps();
  const subscribe = useCallback((listener: () => void) => activity.subscribe(taskId, listener), [activity, taskId]);
  return useSyncExternalStore(subscribe, () => activity.get(taskId));
}
