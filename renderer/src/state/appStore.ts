import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { Repo, Task } from '../../../shared/model/task.js';
import type { ConnectionStatus } from '../transport/uiClient.js';
import { applyRepo, applyTaskChange, applyTaskList, NO_TASKS, type TasksById } from './tasksModel.js';
import { ALL_REPOS, type RepoFilter } from './repoFilter.js';
import { createReplaySlice, type ReplaySlice, type ReplayState } from './replaySlice.js';
import type { ThemePreference } from './theme.js';

export interface TasksSlice {
  tasks: TasksById;
  /** False until the first `tasks.list` reply: the board shows "Loading" instead of "empty". */
  isTasksLoaded: boolean;
  receiveTaskList(list: readonly Task[]): void;
  receiveTask(task: Task): void;
}

export interface ReposSlice {
  repos: readonly Repo[];
  receiveRepos(repos: readonly Repo[]): void;
  receiveRepo(repo: Repo): void;
}

/** `replays`: the Replays view, which takes the workspace's place (features/replay) rather than a modal's. */
export type DialogKind = 'addRepo' | 'newTask' | 'palette' | 'settings' | 'replays';

/**
 * A dialog about one task, opened by a drop, a card's Move menu or the task view:
 * - `send`: ask for a message, then `tasks.send` (a follow-up, or resuming a stopped task);
 * - `finish`: "Merge or discard?".
 */
export type TaskDialog = { kind: 'send'; taskId: string; mode: 'follow_up' | 'resume' } | { kind: 'finish'; taskId: string };

/** A short message that goes away on its own, e.g. why a drop was refused. */
export interface Toast {
  /** Increases with every toast, so the same text twice still restarts its timer. */
  id: number;
  text: string;
}

export interface UiSlice {
  theme: ThemePreference;
  setTheme(theme: ThemePreference): void;
  selectedTaskId: string | null;
  openTask(id: string): void;
  closeTask(): void;
  dialog: DialogKind | null;
  openDialog(kind: DialogKind): void;
  closeDialog(): void;
  taskDialog: TaskDialog | null;
  openTaskDialog(dialog: TaskDialog): void;
  closeTaskDialog(): void;
  toast: Toast | null;
  showToast(text: string): void;
  dismissToast(id: number): void;
  /** Repo ids the board shows; empty for all. */
  repoFilter: RepoFilter;
  setRepoFilter(filter: RepoFilter): void;
  connection: ConnectionStatus;
  setConnection(status: ConnectionStatus): void;
  /** Why the last board load failed; null when it worked. */
  loadError: string | null;
  setLoadError(message: string | null): void;
}

export type AppState = TasksSlice & ReposSlice & ReplaySlice & UiSlice;
export type AppStore = StoreApi<AppState>;

type Slice<T> = StateCreator<AppState, [], [], T>;

// A replay store takes no snapshots: its tasks change only by replayed events (replaySlice.ts).
const createTasksSlice: Slice<TasksSlice> = (set) => ({
  tasks: NO_TASKS,
  isTasksLoaded: false,
  receiveTaskList: (list) => set((s) => (s.replay.mode !== 'live' ? s : { tasks: applyTaskList(s.tasks, list), isTasksLoaded: true })),
  receiveTask: (task) =>
    set((s) => {
      if (s.replay.mode !== 'live') return s;
      const tasks = applyTaskChange(s.tasks, task);
      return tasks === s.tasks ? s : { tasks };
    }),
});

const createReposSlice: Slice<ReposSlice> = (set) => ({
  repos: [],
  receiveRepos: (repos) => set({ repos: [...repos] }),
  receiveRepo: (repo) => set((s) => ({ repos: applyRepo(s.repos, repo) })),
});

function createUiSlice(initialTheme: ThemePreference, initialRepoFilter: RepoFilter): Slice<UiSlice> {
  let toastCount = 0;
  return (set) => ({
    theme: initialTheme,
    setTheme: (theme) => set({ theme }),
    selectedTaskId: null,
    openTask: (id) => set({ selectedTaskId: id }),
    closeTask: () => set({ selectedTaskId: null }),
    dialog: null,
    openDialog: (dialog) => set({ dialog }),
    closeDialog: () => set({ dialog: null }),
    taskDialog: null,
    openTaskDialog: (taskDialog) => set({ taskDialog }),
    closeTaskDialog: () => set({ taskDialog: null }),
    toast: null,
    showToast: (text) => set({ toast: { id: ++toastCount, text } }),
    dismissToast: (id) => set((s) => (s.toast?.id === id ? { toast: null } : s)),
    repoFilter: initialRepoFilter,
    setRepoFilter: (repoFilter) => set({ repoFilter }),
    connection: 'connecting',
    setConnection: (connection) => set({ connection }),
    loadError: null,
    setLoadError: (loadError) => set({ loadError }),
  });
}

/**
 * `mode` `live` (the default): the app's store, mirroring the host. `replay`: a second, read-only
 * store of the same shape for the replay player, so the same components and selectors show it.
 */
export function createAppStore(options: { theme?: ThemePreference; repoFilter?: RepoFilter; mode?: ReplayState['mode'] } = {}): AppStore {
  const createUi = createUiSlice(options.theme ?? 'system', options.repoFilter ?? ALL_REPOS);
  const createReplay = createReplaySlice(options.mode ?? 'live');
  return createStore<AppState>()((...a) => ({
    ...createTasksSlice(...a),
    ...createReposSlice(...a),
    ...createReplay(...a),
    ...createUi(...a),
  }));
}

/** Only the actions: functions created once with the store, safe to read without subscribing. */
export type AppActions = {
  [K in keyof AppState as AppState[K] extends (...args: never[]) => unknown ? K : never]: AppState[K];
};
