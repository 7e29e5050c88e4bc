import type { Task } from '../../../shared/model/task.js';
import type { Host } from '../../core/hostTypes.js';
import type { DesktopWindow } from './desktopElectron.js';
import type { Notifier } from './notifier.js';
import { createAlertBatcher, type AlertNotice } from './alertBatcher.js';
import { countTasks, TaskAlertLog, type TaskAlert, type TaskCounts } from './taskAlerts.js';
import type { TimerApi } from './timers.js';

export interface DesktopAttentionDeps {
  notifier: Notifier;
  /** Shows the Needs-you count on the dock or taskbar (0: none). */
  showBadge(needsYou: number): void;
  host: Pick<Host, 'handlers' | 'onEvent'>;
  getWindow: () => DesktopWindow | null;
  /** A notification about one task was clicked: bring the window forward with this task open. */
  openTask(taskId: string): void;
  /** A summary of several was clicked: bring the window forward. */
  focusWindow(): void;
  /** Running and Needs-you counts changed (the tray shows them). */
  onDidChangeCounts?(counts: TaskCounts): void;
  timers?: TimerApi;
}

/**
 * Desktop notifications for tasks that need the user, failed or are ready for review (each state
 * once; only while the window is not in front, where the board already shows it; at most one
 * notification per 2 s, several tasks summed up in one), and the
 * dock/taskbar badge with the Needs-you count. Follows the host's task events. Returns a disposer.
 */
export function startDesktopAttention(deps: DesktopAttentionDeps): () => void {
  const tasks = new Map<string, Task>();
  const log = new TaskAlertLog();
  let counts: TaskCounts = { running: -1, needsYou: -1 };
  let isDisposed = false;

  const updateCounts = () => {
    const next = countTasks(tasks.values());
    if (next.running === counts.running && next.needsYou === counts.needsYou) return;
    if (next.needsYou !== counts.needsYou) deps.showBadge(next.needsYou);
    counts = next;
    deps.onDidChangeCounts?.(next);
  };

  // A summary of several tasks opens the window on the board; one task's opens that task.
  const show = (notice: AlertNotice) =>
    deps.notifier.show(notice, () => (notice.taskId === null ? deps.focusWindow() : deps.openTask(notice.taskId)));
  const batcher = createAlertBatcher(show, deps.timers);
  const notify = (alert: TaskAlert) => {
    const window = deps.getWindow();
    if (window && !window.isDestroyed() && window.isFocused()) return;
    batcher.add([alert]);
  };

  const unsubscribe = deps.host.onEvent((event, payload) => {
    if (event !== 'tasks.onDidChange') return;
    const { task } = payload as { task: Task };
    tasks.set(task.id, task);
    const alert = log.next(task);
    if (alert) notify(alert);
    updateCounts();
  });

  void deps.host.handlers['tasks.list']({}).then(
    ({ tasks: list }) => {
      if (isDisposed) return;
      // Events that came while the list was read are newer than the list: they win.
      const fresh = list.filter((task) => !tasks.has(task.id));
      for (const task of fresh) tasks.set(task.id, task);
      log.seed(fresh);
      updateCounts();
    },
    (error: unknown) => console.error('flotilla: could not read the tasks for the badge', error),
  );

  return () => {
    isDisposed = true;
    unsubscribe();
    batcher.dispose();
    deps.showBadge(0);
  };
}
