import path from 'node:path';
import type { ReplaySource } from '../../../../shared/contracts/replay.js';
import { NO_GRANTS } from '../../../../shared/model/approval.js';
import { DEFAULT_SANDBOX_POLICY } from '../../../../shared/model/sandboxPolicy.js';
import type { Task } from '../../../../shared/model/task.js';
import type { TaskEventBody } from '../../../../shared/model/taskEvents.js';
import type { ImportSink } from '../importSink.js';
import type { Redact } from '../redactCastLine.js';

/**
 * One import format: fed the file's lines in order (never the whole file), it writes TaskEvents
 * (and recordings) to the sink, so every format replays through the same reducers as a live
 * journal. A record it does not know is counted with `sink.skip`, never fatal; `ImportError` is
 * for a file that cannot be imported at all (a cut Flotilla export, a corrupt recording).
 */
export interface Importer {
  readonly format: Exclude<ReplaySource, 'local'>;
  /** One line of the file (JSON for every format here); `isTerminated` is false for a last line without its newline. */
  line(text: string, number: number, isTerminated: boolean): void;
  /** After the last line: writes what waited for the end, returns the replay's title. */
  finish(): string;
}

export interface ImporterContext {
  sink: ImportSink;
  redact: Redact;
  /** The imported file's name, for titles. */
  fileName: string;
  /** When the file was last written (ms since the epoch): the time of records that carry none. */
  fileTime: number;
}

/** A file that cannot be imported: its one-line reason. */
export class ImportError extends Error {}

/** The line parsed as JSON, or undefined (counted by the caller as a bad line). */
export function parseJsonLine(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** ISO 8601 (or ms since the epoch) to ms since the epoch; `fallback` when absent or unreadable. */
export function timeOf(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return fallback;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? fallback : ms;
}

/** First line of `text`, at most 80 chars: a title from a prompt. */
export function titleFrom(text: string, fallback: string): string {
  const first = text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
  if (first === '') return fallback;
  return first.length > 80 ? `${first.slice(0, 79)}…` : first;
}

/**
 * The Task of an imported session (another tool's, or a terminal's): the card the replay shows.
 * It was never a Flotilla task, so branch and commit are whatever the session said (or empty).
 */
export function importedTask(fields: { id: string; title: string; prompt: string; cwd: string; model: string; at: number; branch?: string; commit?: string }): Task {
  return {
    id: fields.id,
    title: fields.title,
    prompt: fields.prompt,
    repoId: `imported:${fields.cwd}`,
    repoName: fields.cwd === '' ? 'imported' : path.basename(fields.cwd),
    repoPath: fields.cwd,
    status: 'running',
    branch: fields.branch ?? '',
    baseBranch: '',
    baseCommit: fields.commit ?? '',
    worktreePath: fields.cwd,
    statusReason: null,
    mergeCommit: null,
    mergeStrategy: null,
    model: fields.model,
    policy: { ...DEFAULT_SANDBOX_POLICY },
    grants: NO_GRANTS,
    pendingApproval: null,
    usage: { inputTokens: 0, outputTokens: 0 },
    createdAt: fields.at,
    updatedAt: fields.at,
  };
}

/**
 * The task of a session read from another tool's log: created at its first record, its model,
 * usage and title filled in once the whole log is read, and moved to Review at its last record
 * (the session ended; what it left is there to review).
 */
export class ImportedSession {
  private createdSeq: number | null = null;
  private task: Task | null = null;
  private lastAt = 0;
  readonly usage = { inputTokens: 0, outputTokens: 0 };
  model = '';
  firstPrompt = '';

  constructor(private readonly sink: ImportSink, readonly taskId: string) {}

  /** Creates the task on first use; later calls only advance the session's clock. */
  begin(at: number, fields: { cwd: string; branch?: string; commit?: string }): void {
    this.lastAt = Math.max(this.lastAt, at);
    if (this.task) return;
    this.task = importedTask({ id: this.taskId, title: this.taskId, prompt: '', model: this.model, at, ...fields });
    this.createdSeq = this.sink.event(this.taskId, at, { kind: 'task_created', task: this.task });
  }

  record(at: number, body: TaskEventBody): void {
    this.begin(at, { cwd: '' });
    this.lastAt = Math.max(this.lastAt, at);
    this.sink.event(this.taskId, at, body);
  }

  /** The session's token counts so far: journalled as the task's usage changing at `at`, as a live task's is. */
  setUsage(at: number, usage: { inputTokens: number; outputTokens: number }): void {
    if (usage.inputTokens === this.usage.inputTokens && usage.outputTokens === this.usage.outputTokens) return;
    this.usage.inputTokens = usage.inputTokens;
    this.usage.outputTokens = usage.outputTokens;
    this.record(at, { kind: 'task_updated', patch: { usage: { ...this.usage } } });
  }

  /** Fills in what was known only at the end (title, prompt, model) and ends the session; returns its title. */
  finish(fallbackTitle: string, title?: string): string {
    const name = title ?? titleFrom(this.firstPrompt, fallbackTitle);
    if (!this.task || this.createdSeq === null) return name;
    const task: Task = { ...this.task, title: name, prompt: this.firstPrompt, model: this.model };
    this.sink.replaceEvent(this.createdSeq, { kind: 'task_created', task });
    this.sink.event(this.taskId, this.lastAt, { kind: 'status_changed', from: 'running', to: 'review', reason: 'imported session ended' });
    return name;
  }
}
