import { z } from 'zod';
import { RepoSchema, TaskSchema, MergeStrategySchema } from './model/task.js';
import { TaskStatusSchema } from './model/taskLifecycle.js';
import { TaskEventSchema } from './model/taskEvents.js';
import { TaskDiffSchema } from './model/diff.js';
import { SettingKeySchema, SettingsSchema } from './model/settings.js';
import { ApprovalPolicySchema, SandboxModeSchema } from './model/sandboxPolicy.js';
import { resultOf } from './contracts/result.js';
import { terminalConnectionMethods, terminalEvents, terminalMethods } from './contracts/terminal.js';
import { reviewMethods } from './contracts/review.js';
import { taskEventsMethod } from './contracts/taskEventPages.js';
import { providerEvents, providerMethods } from './contracts/providers.js';
import { agentMethods } from './contracts/agent.js';
import { replayEvents, replayMethods } from './contracts/replay.js';
import { historyMethods } from './contracts/history.js';

/**
 * The one contract between the host and every client (renderer over IPC or WebSocket,
 * CLI over HTTP). Methods are `domain.verb`, events `domain.onDidX`; one object argument.
 * The host parses every input with these schemas: clients are untrusted.
 */

export { FAILURE_KINDS, FailureKindSchema, FailureSchema, failure, resultOf } from './contracts/result.js';
export type { Failure, FailureKind } from './contracts/result.js';

const Empty = z.object({});
/** 100: far more than anyone lists by hand; every entry becomes a mount per command. */
const MAX_REPO_SANDBOX_PATHS = 100;
const TaskId = z.object({ id: z.string().min(1) });

export const SandboxStatusSchema = z.object({
  isAvailable: z.boolean(),
  /** Why not, and how to fix it; null when available. */
  reason: z.string().nullable(),
});

/** Methods of the host itself: answered by its one handler table (`Handlers`), over every transport. */
export const hostMethods = {
  'app.info': {
    input: Empty,
    output: z.object({
      version: z.string(),
      home: z.string(),
      platform: z.string(),
      model: z.string(),
      sandbox: SandboxStatusSchema,
    }),
  },
  'repos.add': { input: z.object({ path: z.string().min(1) }), output: resultOf({ repo: RepoSchema }) },
  /** `repos.add`, then every window selects the repo (`repos.onDidOpen`): `flotilla open PATH`. */
  'repos.open': { input: z.object({ path: z.string().min(1) }), output: resultOf({ repo: RepoSchema }) },
  'repos.list': { input: Empty, output: z.object({ repos: z.array(RepoSchema) }) },
  'repos.remove': { input: z.object({ id: z.string().min(1) }), output: resultOf({}) },
  'repos.rename': {
    input: z.object({ id: z.string().min(1), name: z.string().trim().min(1).max(100) }),
    output: resultOf({ repo: RepoSchema }),
  },
  /** Per-repo settings; omitted fields keep their value. */
  'repos.configure': {
    input: z.object({
      id: z.string().min(1),
      setupScript: z.string().max(100_000).optional(),
      cleanupScript: z.string().max(100_000).optional(),
      copyFiles: z.array(z.string().min(1)).max(100).optional(),
      baseBranch: z.string().min(1).nullable().optional(),
      scriptNetwork: z.boolean().optional(),
      // Checked by the host (absolute, inside the home…) with messages that name each bad entry.
      unixSockets: z.array(z.string().max(4096)).max(MAX_REPO_SANDBOX_PATHS).optional(),
      /** Each `/abs/path` or `~/path`; stored absolute. */
      homeReadOnlyPaths: z.array(z.string().max(4096)).max(MAX_REPO_SANDBOX_PATHS).optional(),
      /** Glob patterns of protected paths (shared/model/protectedPaths.ts); an invalid one refuses the whole change. */
      protectedPaths: z.array(z.string().max(1000)).max(MAX_REPO_SANDBOX_PATHS).optional(),
    }),
    output: resultOf({ repo: RepoSchema }),
  },
  'repos.branches': {
    input: z.object({ id: z.string().min(1) }),
    output: resultOf({ branches: z.array(z.string()), current: z.string() }),
  },
  'tasks.create': {
    input: z.object({
      /** A repo id, or the path of a repo (added on the fly). */
      repo: z.string().min(1),
      prompt: z.string().trim().min(1, 'the prompt is empty'),
      title: z.string().trim().min(1).max(200).optional(),
      baseBranch: z.string().min(1).optional(),
      /** false: the task waits in Backlog until started. */
      start: z.boolean().default(true),
      /** The sandbox policy; omitted fields take the defaults (workspace-write, no network, on-request). */
      sandbox: SandboxModeSchema.optional(),
      allowNetwork: z.boolean().optional(),
      approval: ApprovalPolicySchema.optional(),
      /** A provider profile's name; omitted: the default in effect at each turn. */
      provider: z.string().min(1).max(100).optional(),
      /** The model for this task; omitted: its provider's. */
      model: z.string().trim().min(1).max(200).optional(),
    }),
    output: resultOf({ task: TaskSchema }),
  },
  /** Backlog → queued. */
  'tasks.start': { input: TaskId, output: resultOf({ task: TaskSchema }) },
  /**
   * Another turn in the same worktree and conversation: a follow-up in Review or Needs you, or
   * resuming a stopped, failed or interrupted task.
   */
  'tasks.send': {
    input: z.object({ id: z.string().min(1), message: z.string().trim().min(1, 'the message is empty') }),
    output: resultOf({ task: TaskSchema }),
  },
  'tasks.list': { input: Empty, output: z.object({ tasks: z.array(TaskSchema) }) },
  'tasks.get': { input: TaskId, output: resultOf({ task: TaskSchema }) },
  ...taskEventsMethod,
  /**
   * `turn`: only that turn's checkpoint against the commit before it. `uncommitted`: paths changed
   * in the worktree but not committed (not in `diff`; a merge refuses them unless included);
   * `uncommittedDiff`: their changes, the worktree (untracked files included) against the branch
   * tip, absent for a turn's diff or a task without a worktree.
   */
  'tasks.diff': {
    input: TaskId.extend({ turn: z.number().int().positive().optional() }),
    output: resultOf({ diff: TaskDiffSchema, uncommitted: z.array(z.string()).optional(), uncommittedDiff: TaskDiffSchema.optional() }),
  },
  /**
   * The latest command start or agent message of every task whose agent is at work: what its
   * card's activity line shows after a reload, before new events arrive.
   */
  'tasks.recentActivity': { input: Empty, output: z.object({ events: z.array(TaskEventSchema) }) },
  /**
   * Merges exactly what was reviewed: `expectedTip` (the tip the caller showed) refuses a branch
   * that moved since (`changed`); uncommitted files in the worktree refuse it (`uncommitted`,
   * with `files`) unless `includeUncommitted`. A conflict (`conflict`, with `files`) changes nothing.
   */
  'tasks.merge': {
    input: z.object({
      id: z.string().min(1),
      strategy: MergeStrategySchema.default('merge'),
      /** The squash or merge commit's message; omitted: Flotilla's draft (`tasks.mergePreview`). */
      message: z.string().max(100_000).optional(),
      expectedTip: z.string().regex(/^[0-9a-f]{40,64}$/, 'a full commit id').optional(),
      includeUncommitted: z.boolean().default(false),
      /** The user approved the protected files this task touches (repo setting); without it they refuse the merge (`protected`, with `files`). */
      approveProtected: z.boolean().default(false),
    }),
    output: resultOf({ commit: z.string(), task: TaskSchema }),
  },
  /** What a merge would take: the branch tip to review, the uncommitted files, the drafted message. */
  'tasks.mergePreview': {
    input: z.object({ id: z.string().min(1), strategy: MergeStrategySchema.default('squash') }),
    output: resultOf({ tip: z.string().nullable(), uncommitted: z.array(z.string()), message: z.string() }),
  },
  /**
   * "Resolve with agent": merges the base branch into the task (its conflicts marked and
   * committed in the task's worktree), then queues a turn asking the agent to resolve them.
   */
  'tasks.resolve': { input: TaskId, output: resultOf({ task: TaskSchema, files: z.array(z.string()) }) },
  /** Brings a discarded task back to Review from its archive (worktree, branch, uncommitted files). */
  'tasks.restore': { input: TaskId, output: resultOf({ task: TaskSchema }) },
  /** Pushes the task branch to the repo's remote and opens a pull request with `gh`. */
  'tasks.pullRequest': { input: TaskId, output: resultOf({ url: z.string(), task: TaskSchema }) },
  /**
   * Open tasks predicted to conflict with other open tasks of the same repo once one is merged,
   * or with their base branch now (tasks with neither are absent). Computed on request from the
   * branch tips with `git merge-tree`; cached per pair of tips.
   */
  'tasks.conflicts': {
    input: Empty,
    output: z.object({
      conflicts: z.array(
        z.object({
          taskId: z.string(),
          conflictsWith: z.array(z.object({ taskId: z.string(), files: z.array(z.string()) })),
          /** Files a merge into the task's base branch would conflict in now. */
          baseConflicts: z.array(z.string()),
        }),
      ),
    }),
  },
  'tasks.stop': { input: TaskId, output: resultOf({ task: TaskSchema }) },
  'tasks.discard': { input: TaskId, output: resultOf({ task: TaskSchema }) },
  /** Approves the pending request: once, or for the rest of the task (`scope: 'task'`). */
  'tasks.approve': {
    input: z.object({ id: z.string().min(1), scope: z.enum(['once', 'task']).default('once') }),
    output: resultOf({ task: TaskSchema }),
  },
  /** Denies the pending request; `message` goes back to the agent. */
  'tasks.deny': {
    input: z.object({ id: z.string().min(1), message: z.string().trim().max(4000).optional() }),
    output: resultOf({ task: TaskSchema }),
  },
  /** Disk used by task worktrees, largest first; folders no task owns have `taskId: null`. */
  'worktrees.usage': {
    input: Empty,
    output: z.object({
      worktrees: z.array(
        z.object({
          path: z.string(),
          bytes: z.number(),
          taskId: z.string().nullable(),
          taskStatus: TaskStatusSchema.nullable(),
          taskTitle: z.string().nullable(),
          /** The task's repo, else the repo whose id names the folder's parent; null when neither. */
          repoName: z.string().nullable(),
          /**
           * Uncommitted changes in it: how many, and the first few paths (what a removal would
           * lose). `error`: git could not inspect it (so it may hold work, and is never removed).
           */
          uncommitted: z.object({ count: z.number().int().nonnegative(), paths: z.array(z.string()), error: z.string().nullable() }),
        }),
      ),
    }),
  },
  /** Deletes a worktree folder no live task uses; uncommitted work in it only with `confirmUncommitted`. */
  'worktrees.remove': {
    input: z.object({ path: z.string().min(1), confirmUncommitted: z.boolean().default(false) }),
    output: resultOf({}),
  },
  'settings.get': { input: Empty, output: z.object({ settings: SettingsSchema }) },
  'settings.set': {
    input: z.object({ key: SettingKeySchema, value: z.string() }),
    output: resultOf({ settings: SettingsSchema }),
  },
  ...terminalMethods,
  ...reviewMethods,
  ...providerMethods,
  ...agentMethods,
  ...replayMethods,
  ...historyMethods,
} as const;

/**
 * Methods whose effect belongs to the caller's connection (a WebSocket, or one Electron window),
 * not to the host: each transport answers them for the connection that called
 * (`ConnectionHandlers`); over plain HTTP there is no connection, and they are refused with
 * `invalid_state`.
 */
export const connectionMethods = {
  /**
   * The tasks whose command output this connection receives, replacing its previous set ([] for
   * none). `tasks.onDidAppendEvent` events of kind `command_output` go only to connections
   * watching their task; every other event goes to every connection. To follow a task without a
   * gap, watch first, then read `tasks.events`, and drop live events whose seq was already read
   * (shared/contracts/followTaskEvents.ts).
   */
  'tasks.watch': {
    // 100: a client shows one task view or a few; a longer list is a bug, not a screen.
    input: z.object({ taskIds: z.array(z.string().min(1)).max(100) }),
    output: resultOf({}),
  },
  ...terminalConnectionMethods,
} as const;

/** Every method a client can call, whichever side answers it. */
export const methods = { ...hostMethods, ...connectionMethods } as const;

export const events = {
  'tasks.onDidChange': z.object({ task: TaskSchema }),
  'tasks.onDidAppendEvent': z.object({ event: TaskEventSchema }),
  'repos.onDidChange': z.object({ repos: z.array(RepoSchema) }),
  /** Someone asked to see this repo (`repos.open`): windows show its tasks. */
  'repos.onDidOpen': z.object({ repo: RepoSchema }),
  'settings.onDidChange': z.object({ settings: SettingsSchema }),
  ...terminalEvents,
  ...providerEvents,
  ...replayEvents,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type HostMethodName = keyof typeof hostMethods;
export type ConnectionMethodName = keyof typeof connectionMethods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
export function isConnectionMethod(name: MethodName): name is ConnectionMethodName {
  return Object.hasOwn(connectionMethods, name);
}

/** The host's handler table: a missing or mistyped handler is a compile error. */
export type Handlers = {
  [M in HostMethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>>;
};

/** One connection's answers to the per-connection methods; each transport builds one per connection. */
export type ConnectionHandlers = {
  [M in ConnectionMethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>>;
};

/** What every client sees, whatever the transport. */
export interface ContractClient {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
