import type { SandboxSpec } from '../sandbox/sandboxSpec.js';
import type { ApprovalDecision, ApprovalRequest, TaskGrants } from '../../../shared/model/approval.js';
import type { ApprovalPolicy } from '../../../shared/model/sandboxPolicy.js';
import type { TaskPlan } from '../../../shared/model/plan.js';
import { isRecord } from '../util/isRecord.js';

/**
 * The messages between the host and one agent worker process (one per running turn),
 * over the fork IPC channel. The worker gets everything it needs in `start`; it never
 * reads Flotilla's own state.
 */

export interface WorkerStartConfig {
  taskId: string;
  worktreePath: string;
  sandbox: SandboxSpec;
  /** Paths the sandbox masks (other worktrees, FLOTILLA_HOME, credentials); passed to runSandboxed. */
  hiddenPaths: string[];
  model: string;
  /** null → the SDK default / OPENAI_BASE_URL. */
  baseURL: string | null;
  /** The API the endpoint speaks; unset: `responses`. */
  api?: 'responses' | 'chat';
  /**
   * The provider's key, sent over this channel rather than in the worker's environment; unset:
   * OPENAI_API_KEY from its environment. The worker never passes it to a command.
   */
  apiKey?: string | null;
  /** Responses API input items from earlier turns ([] for the first). */
  history: unknown[];
  /** The user's prompt / follow-up for this turn. */
  message: string;
  commandTimeoutMs: number;
  /** Safety cap on model calls per turn (default 50). */
  maxSteps: number;
  /** The bubblewrap binary; unset → found on the usual paths. */
  bwrapPath?: string;
  /** The task's approval policy: what the agent may ask for, and what waits for the user. */
  approval: ApprovalPolicy;
  /** What the user already approved for this task (from earlier turns). */
  grants: TaskGrants;
  /**
   * Where commands run: 'pty', on a terminal of their own that the host opens in its pty host
   * (output shows live in the task's Agent terminal); 'pipes' (default), with stdout and stderr
   * on pipes, in this worker (when the host offers no terminals, e.g. in tests).
   */
  commandTerminal?: 'pty' | 'pipes';
  /** The system text instead of the coding agent's (e.g. the review agent's); unset: buildInstructions. */
  instructions?: string;
  /**
   * Structured output asked of every model call (Responses API `text.format`, e.g. a json_schema
   * for the review agent's findings); unset: plain text.
   */
  textFormat?: { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean };
}

/** What the worker asks the host to start on a pty for one command (a launch made by runSandboxed). */
export interface PtyOpenRequest {
  /** The function call the command answers: the Agent terminal shows it under its header. */
  callId: string;
  file: string;
  args: string[];
  cwd: string;
  /** The command's whole environment. */
  env: Record<string, string>;
}

/** How a command's pty ended. `reason` is set when it was not the command's doing (the pty host crashed). */
export interface PtyExit {
  exitCode: number | null;
  signal: number | null;
  reason: string | null;
}

/** The worker's side of a command pty (ptyId: chosen by the worker, a UUID). */
export type WorkerPtyMessage =
  | ({ type: 'pty_open'; ptyId: string } & PtyOpenRequest)
  /** `chars` more chars of that pty's output were taken in: the host may let the command write more. */
  | { type: 'pty_ack'; ptyId: string; chars: number }
  /** Ends the command and everything it started. */
  | { type: 'pty_kill'; ptyId: string };

/** The host's side of a command pty, in order: opened or failed; output; exit (always last). */
export type HostPtyMessage =
  | { type: 'pty_opened'; ptyId: string; pid: number }
  /** The command never started. */
  | { type: 'pty_failed'; ptyId: string; reason: string }
  | { type: 'pty_output'; ptyId: string; data: string }
  | ({ type: 'pty_exit'; ptyId: string } & PtyExit);

export type WorkerToHost =
  | { type: 'agent_message'; text: string }
  | { type: 'command_started'; callId: string; command: string }
  | { type: 'command_output'; callId: string; chunk: string }
  | { type: 'command_finished'; callId: string; exitCode: number | null; durationMs: number; isKilled: boolean }
  /** The agent's command waits for the user; the worker blocks that tool call until a decision. */
  | { type: 'approval_request'; request: Omit<ApprovalRequest, 'requestedAt'> }
  /** The agent's update_plan: the whole checklist (the host checks it before keeping it). */
  | { type: 'plan_updated'; plan: TaskPlan }
  | { type: 'turn_done'; history: unknown[]; usage: { inputTokens: number; outputTokens: number } }
  | { type: 'turn_failed'; kind: 'api' | 'sandbox_unavailable' | 'internal'; reason: string; history: unknown[] }
  | WorkerPtyMessage;

export type HostToWorker =
  | { type: 'start'; config: WorkerStartConfig }
  | { type: 'stop' }
  /** The user's answer to an approval_request, with the task's grants as they now stand. */
  | { type: 'approval_decision'; requestId: string; decision: ApprovalDecision; grants: TaskGrants }
  | HostPtyMessage;

/** The events a turn streams before it ends (the pty traffic is the runner's business, not an event). */
export type WorkerEvent = Exclude<WorkerToHost, { type: 'turn_done' } | { type: 'turn_failed' } | WorkerPtyMessage>;
/** How a turn ends, as the worker reports it. */
export type WorkerTurnEnd = Extract<WorkerToHost, { type: 'turn_done' } | { type: 'turn_failed' }>;

export const DEFAULT_MAX_STEPS = 50;

const WORKER_TO_HOST_TYPES: ReadonlySet<string> = new Set<WorkerToHost['type']>([
  'agent_message',
  'command_started',
  'command_output',
  'command_finished',
  'approval_request',
  'plan_updated',
  'turn_done',
  'turn_failed',
  'pty_open',
  'pty_ack',
  'pty_kill',
]);
const HOST_PTY_TYPES: ReadonlySet<string> = new Set<HostPtyMessage['type']>(['pty_opened', 'pty_failed', 'pty_output', 'pty_exit']);

export function isWorkerPtyMessage(message: WorkerToHost): message is WorkerPtyMessage {
  return message.type === 'pty_open' || message.type === 'pty_ack' || message.type === 'pty_kill';
}

/** A light check of what arrives over IPC (the worker is our own code; this catches wiring bugs). */
export function isWorkerToHost(value: unknown): value is WorkerToHost {
  return isRecord(value) && typeof value.type === 'string' && WORKER_TO_HOST_TYPES.has(value.type);
}

export function isHostToWorker(value: unknown): value is HostToWorker {
  if (!isRecord(value)) return false;
  if (value.type === 'stop') return true;
  if (value.type === 'approval_decision') return typeof value.requestId === 'string' && isRecord(value.decision) && isRecord(value.grants);
  if (typeof value.type === 'string' && HOST_PTY_TYPES.has(value.type)) return typeof value.ptyId === 'string';
  return value.type === 'start' && isRecord(value.config) && typeof value.config.worktreePath === 'string';
}
