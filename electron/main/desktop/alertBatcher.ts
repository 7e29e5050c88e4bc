import { createBatchWindow, type BatchWindow } from '../../../shared/contracts/batchWindow.js';
import type { AlertKind, TaskAlert } from './taskAlerts.js';
import { REAL_TIMERS, type TimerApi } from './timers.js';

/** What one desktop notification says; `taskId` when it is about one task (a click opens it). */
export interface AlertNotice {
  title: string;
  body: string;
  taskId: string | null;
}

const KIND_ORDER: readonly AlertKind[] = ['needs_you', 'failed', 'review'];
const KIND_PHRASES: Record<AlertKind, (count: number) => string> = {
  needs_you: (n) => (n === 1 ? '1 task needs you' : `${n} tasks need you`),
  failed: (n) => (n === 1 ? '1 failed' : `${n} failed`),
  review: (n) => `${n} ready for review`,
};
/** 5 titles: about what a notification shows before the OS cuts it. */
const MAX_LISTED = 5;

/** One alert as it is; several as "2 tasks need you · 1 failed" over a list of their titles. */
export function summarizeAlerts(alerts: readonly TaskAlert[]): AlertNotice {
  const [only] = alerts;
  if (alerts.length === 1 && only) return { title: only.title, body: only.body, taskId: only.taskId };
  const ordered = KIND_ORDER.flatMap((kind) => alerts.filter((alert) => alert.kind === kind));
  const title = KIND_ORDER.filter((kind) => ordered.some((alert) => alert.kind === kind))
    .map((kind) => KIND_PHRASES[kind](ordered.filter((alert) => alert.kind === kind).length))
    .join(' · ');
  const listed = ordered.slice(0, MAX_LISTED).map((alert) => `• ${alert.title}`);
  if (ordered.length > MAX_LISTED) listed.push(`and ${ordered.length - MAX_LISTED} more`);
  return { title, body: listed.join('\n'), taskId: null };
}

/** 2 s: a fleet finishing together makes one notification, not one per task. */
export const ALERT_WINDOW_MS = 2_000;

/** Alerts shown at most once per window, several as one summary (shared/contracts/batchWindow.ts). */
export function createAlertBatcher(show: (notice: AlertNotice) => void, timers: TimerApi = REAL_TIMERS): BatchWindow<TaskAlert> {
  return createBatchWindow({ keyOf: (alert) => alert.taskId, show: (alerts) => show(summarizeAlerts(alerts)), windowMs: ALERT_WINDOW_MS, timers });
}
