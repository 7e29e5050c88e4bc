import type { ApprovalRequest } from '../../../shared/model/approval.js';
import { visibleText } from '../../../shared/model/visibleText.js';
import { describeWidening } from '../../../shared/model/widening.js';
import { columnOf } from '../../../shared/model/boardColumns.js';
import type { TasksById } from './tasksModel.js';
import { createBatchWindow, type BatchWindow } from '../../../shared/contracts/batchWindow.js';
import { REAL_TIMERS, type TimerApi } from './keyedThrottle.js';

/**
 * A task that just came to a column where the user is wanted. `approval`: its agent waits
 * for a yes or no on a command (a kind of Needs you, named apart because it blocks the agent).
 */
export interface AttentionItem {
  taskId: string;
  title: string;
  kind: 'approval' | 'needs_you' | 'review';
  /** One line on why: the task's status reason, or what the pending request asks. */
  reason: string | null;
}

export interface NotificationContent {
  title: string;
  body: string;
  /** One tag for all: a newer summary replaces an older one instead of piling up. */
  tag: string;
  /** Set when the notification is about one task: clicking it opens that task. */
  taskId: string | null;
}

export const NOTIFICATION_TAG = 'flotilla-attention';

/**
 * Tasks that entered Needs you or Review between two versions of the task map, and tasks
 * whose agent made a new approval request (even one already in Needs you). Tasks the
 * previous version did not know are left out: the first load (or a task created elsewhere
 * while we were away) is not news to announce.
 */
export function tasksNeedingAttention(previous: TasksById, next: TasksById): AttentionItem[] {
  if (previous === next) return [];
  const items: AttentionItem[] = [];
  for (const [id, task] of Object.entries(next)) {
    const before = previous[id];
    if (before === undefined || before === task) continue;
    const request = task.pendingApproval;
    if (request !== null && request.requestId !== before.pendingApproval?.requestId) {
      items.push({ taskId: id, title: task.title, kind: 'approval', reason: describeRequest(request) });
      continue;
    }
    const column = columnOf(task.status);
    if ((column !== 'needs_you' && column !== 'review') || columnOf(before.status) === column) continue;
    items.push({ taskId: id, title: task.title, kind: column, reason: task.statusReason });
  }
  return items;
}

/** 120 chars: two lines of a notification; the task view shows the whole command. */
const COMMAND_CHARS = 120;

/** "Asks for network access: curl …", "Asks to run: make install". */
export function describeRequest(request: Pick<ApprovalRequest, 'kind' | 'command' | 'widening'>): string {
  const command = request.command.replace(/\s+/g, ' ').trim();
  const shown = command.length > COMMAND_CHARS ? `${command.slice(0, COMMAND_CHARS - 1)}…` : command;
  return request.kind === 'escalation' ? `Asks for ${describeWidening(request.widening)}: ${shown}` : `Asks to run: ${shown}`;
}

const KIND_PHRASE: Record<Exclude<AttentionItem['kind'], 'approval'>, { one: string; many: string }> = {
  needs_you: { one: 'needs you', many: 'need you' },
  review: { one: 'is ready for review', many: 'ready for review' },
};

/** 5 titles: a notification shows about that many lines before the OS cuts it. */
const MAX_LISTED = 5;

/**
 * One notification for a batch: "Approval needed: Fix login", "“Fix login” needs you", or
 * "1 approval needed · 3 tasks need you · 1 ready for review". Approvals come first: an agent
 * is blocked on each of them.
 */
export function summarize(raw: readonly AttentionItem[]): NotificationContent {
  // Titles and reasons are the model's words: the OS draws them, so their control and bidi
  // characters are shown as marks, never acted on (shared/model/visibleText.ts).
  const items = raw.map((item) => ({ ...item, title: visibleText(item.title), reason: item.reason === null ? null : visibleText(item.reason) }));
  const [only] = items;
  if (items.length === 1 && only) {
    const title = only.kind === 'approval' ? `Approval needed: ${only.title}` : `“${only.title}” ${KIND_PHRASE[only.kind].one}`;
    return { title, body: only.reason ?? '', tag: NOTIFICATION_TAG, taskId: only.taskId };
  }
  const approvals = items.filter((i) => i.kind === 'approval').length;
  const needsYou = items.filter((i) => i.kind === 'needs_you').length;
  const review = items.length - approvals - needsYou;
  const parts: string[] = [];
  if (approvals > 0) parts.push(`${approvals} ${approvals === 1 ? 'approval needed' : 'approvals needed'}`);
  if (needsYou > 0) parts.push(`${needsYou} ${needsYou === 1 ? 'task needs you' : 'tasks need you'}`);
  if (review > 0) parts.push(parts.length > 0 ? `${review} ${KIND_PHRASE.review.many}` : `${review} tasks ${KIND_PHRASE.review.many}`);
  const ordered = [...items.filter((i) => i.kind === 'approval'), ...items.filter((i) => i.kind !== 'approval')];
  const listed = ordered.slice(0, MAX_LISTED).map((i) => (i.kind === 'approval' ? `• Approval needed: ${i.title}` : `• ${i.title}`));
  if (items.length > MAX_LISTED) listed.push(`and ${items.length - MAX_LISTED} more`);
  return { title: parts.join(' · '), body: listed.join('\n'), tag: NOTIFICATION_TAG, taskId: null };
}

export type NotificationBatcher = BatchWindow<AttentionItem>;

/** 2 s: a fleet finishing together makes one notification, and the user is never spammed. */
export const NOTIFICATION_WINDOW_MS = 2_000;

/** At most one notification per window (shared/contracts/batchWindow.ts); a task twice in one batch counts once. */
export function createNotificationBatcher(opts: {
  show: (content: NotificationContent) => void;
  windowMs?: number;
  timers?: TimerApi;
}): NotificationBatcher {
  return createBatchWindow({
    keyOf: (item) => item.taskId,
    show: (batch) => opts.show(summarize(batch)),
    windowMs: opts.windowMs ?? NOTIFICATION_WINDOW_MS,
    timers: opts.timers ?? REAL_TIMERS,
  });
}

/** "(2) Flotilla" while tasks need the user, plain "Flotilla" otherwise. */
export function documentTitleFor(needsYouCount: number): string {
  return needsYouCount > 0 ? `(${needsYouCount}) Flotilla` : 'Flotilla';
}

/** "1 task needs you", "3 tasks need you", "No task needs you". */
export function needsYouLabel(count: number): string {
  if (count === 0) return 'No task needs you';
  return count === 1 ? '1 task needs you' : `${count} tasks need you`;
}
