import type { Settings, SettingKey } from '../../../../shared/model/settings.js';
import type { RepoSettings } from '../../../../shared/model/task.js';

/** What the form's fields hold: text as typed; the timeout in minutes, as people think of it. */
export interface SettingsDraft {
  maxRunning: string;
  model: string;
  baseURL: string;
  commandTimeoutMinutes: string;
  terminalScrollback: string;
  /** Days an archive of a removed worktree is kept (restore works until then). */
  archiveRetentionDays: string;
  /** Days a finished task's journal history and recordings are kept. */
  historyRetentionDays: string;
  /** MB all recordings and journal history may take. */
  historyRetentionMB: string;
  /** Names of environment variables whose values are masked wherever Flotilla records text, comma-separated. */
  secretEnvVars: string;
}

export type DraftField = keyof SettingsDraft;

/** The setting each field edits. */
export const FIELD_KEYS: Record<DraftField, SettingKey> = {
  maxRunning: 'maxRunning',
  model: 'model',
  baseURL: 'baseURL',
  commandTimeoutMinutes: 'commandTimeoutMs',
  terminalScrollback: 'terminalScrollback',
  archiveRetentionDays: 'archiveRetentionDays',
  historyRetentionDays: 'historyRetentionDays',
  historyRetentionMB: 'historyRetentionMB',
  secretEnvVars: 'secretEnvVars',
};

export function draftOf(settings: Settings): SettingsDraft {
  return {
    maxRunning: String(settings.maxRunning),
    model: settings.model,
    baseURL: settings.baseURL,
    commandTimeoutMinutes: formatMinutes(settings.commandTimeoutMs),
    terminalScrollback: String(settings.terminalScrollback),
    archiveRetentionDays: String(settings.archiveRetentionDays),
    historyRetentionDays: String(settings.historyRetentionDays),
    historyRetentionMB: String(settings.historyRetentionMB),
    secretEnvVars: settings.secretEnvVars.join(', '),
  };
}

/** 600000 → "10", 90000 → "1.5", 1000 → "0.017" (three decimals: a second is 0.017 min). */
export function formatMinutes(ms: number): string {
  return String(Number((ms / 60_000).toFixed(3)));
}

/** "10" → "600000"; null when the text is not a number of minutes. The host checks the range. */
export function minutesToMs(text: string): string | null {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(trimmed)) return null;
  return String(Math.round(Number(trimmed) * 60_000));
}

export type SettingsPlan =
  | { ok: true; changes: Array<{ field: DraftField; key: SettingKey; value: string }> }
  | { ok: false; errors: Partial<Record<DraftField, string>> };

/** The `settings.set` calls a save makes: one per changed field, in the form's order. */
export function planSave(draft: SettingsDraft, saved: Settings): SettingsPlan {
  const before = draftOf(saved);
  const changes: Array<{ field: DraftField; key: SettingKey; value: string }> = [];
  const errors: Partial<Record<DraftField, string>> = {};
  for (const field of Object.keys(FIELD_KEYS) as DraftField[]) {
    const text = draft[field];
    if (text.trim() === before[field].trim()) continue;
    if (field === 'commandTimeoutMinutes') {
      const ms = minutesToMs(text);
      if (ms === null) errors[field] = 'Enter a number of minutes, like 10 or 1.5.';
      else changes.push({ field, key: FIELD_KEYS[field], value: ms });
    } else {
      changes.push({ field, key: FIELD_KEYS[field], value: text.trim() });
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, changes };
}

/** A repo's Sandbox group as typed: the two lists one path per line. */
export interface RepoSandboxDraft {
  scriptNetwork: boolean;
  homePaths: string;
  unixSockets: string;
}

/** The `repos.configure` fields a save sends: only what changed. */
export type RepoSandboxChanges = Partial<Pick<RepoSettings, 'scriptNetwork' | 'homeReadOnlyPaths' | 'unixSockets'>>;

export function repoSandboxDraftOf(settings: RepoSettings): RepoSandboxDraft {
  return { scriptNetwork: settings.scriptNetwork, homePaths: settings.homeReadOnlyPaths.join('\n'), unixSockets: settings.unixSockets.join('\n') };
}

/** One path per line: trimmed, blank lines dropped. The host checks each path and says which it refuses. */
export function pathLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function planRepoSandboxSave(draft: RepoSandboxDraft, saved: RepoSettings): RepoSandboxChanges {
  const changes: RepoSandboxChanges = {};
  if (draft.scriptNetwork !== saved.scriptNetwork) changes.scriptNetwork = draft.scriptNetwork;
  const homePaths = pathLines(draft.homePaths);
  if (!sameList(homePaths, saved.homeReadOnlyPaths)) changes.homeReadOnlyPaths = homePaths;
  const sockets = pathLines(draft.unixSockets);
  if (!sameList(sockets, saved.unixSockets)) changes.unixSockets = sockets;
  return changes;
}

/** Which list a refusal from the host names (its message starts each list's part with its name). */
export function refusedLists(message: string): { homePaths: boolean; unixSockets: boolean } {
  return { homePaths: message.includes('Home paths refused'), unixSockets: message.includes('Host sockets refused') };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Protected-path globs as typed: split on commas and newlines, trimmed, blanks dropped. The host checks each glob. */
export function globList(text: string): string[] {
  return text
    .split(/[,\r\n]+/)
    .map((glob) => glob.trim())
    .filter((glob) => glob !== '');
}

/** The `protectedPaths` a save sends, or null when the typed list is what is stored. */
export function planProtectedPathsSave(text: string, saved: RepoSettings): string[] | null {
  const globs = globList(text);
  return sameList(globs, saved.protectedPaths ?? []) ? null : globs;
}
