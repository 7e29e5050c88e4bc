import type { Failure } from '../../shared/contract.js';
import type { Task } from '../../shared/model/task.js';
import { isActive } from '../../shared/model/taskLifecycle.js';
import { formatRepoTable, formatTaskLine, formatTaskTable, taskJson } from './cliFormat.js';
import { inertLine } from '../../shared/model/inertText.js';
import { EXIT_FAILURE, EXIT_OK } from './cliIo.js';
import type { CommandIo } from './cliIo.js';
import { repoArgument, resolvePathArgument } from './cliPaths.js';
import { callFailed, printed, replied } from './commandReplies.js';
import { diffCommand, mergeCommand, pullRequestCommand, restoreCommand, showCommand } from './mergeCommands.js';
import type { CallResult, EventStream, HostClient } from './hostClient.js';
import { DEFAULT_RESUME_MESSAGE } from '../../shared/model/resume.js';
import { ApprovalPolicySchema, SandboxModeSchema } from '../../shared/model/sandboxPolicy.js';

export type CommandValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  client: HostClient;
  /** Inert output (see `inertIo`): what a command prints cannot act on the user's terminal. */
  io: CommandIo;
  values: CommandValues;
  positionals: string[];
  isJson: boolean;
}

/** A command that talks to a running host. `cli.ts` checks the command line before `run`. */
export interface ClientCommand {
  name: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  /** Names of the positional arguments, all required. */
  positionals: string[];
  /** String options that must be given. */
  required?: string[];
  /** A usage error in words, or undefined when the values make sense. */
  validate?(values: CommandValues): string | undefined;
  run(ctx: CommandContext): Promise<number>;
}

export const REPO_COMMANDS: Record<string, ClientCommand> = {
  add: {
    name: 'repo add',
    usage: 'repo add PATH',
    options: {},
    positionals: ['PATH'],
    async run(ctx) {
      return replied(ctx, ctx.client.invoke('repos.add', { path: resolvePathArgument(arg(ctx, 0), ctx.io) }), ({ repo }) =>
        printed(ctx, repo, inertLine(`Added ${repo.name} (${repo.id}) at ${repo.path}, branch ${repo.defaultBranch}`)),
      );
    },
  },
  rename: {
    name: 'repo rename',
    usage: 'repo rename ID NAME',
    options: {},
    positionals: ['ID', 'NAME'],
    async run(ctx) {
      return replied(ctx, ctx.client.invoke('repos.rename', { id: arg(ctx, 0), name: arg(ctx, 1) }), ({ repo }) =>
        printed(ctx, repo, inertLine(`Renamed ${repo.id} to ${repo.name}`)),
      );
    },
  },
  remove: {
    name: 'repo remove',
    usage: 'repo remove ID   (forgets the repo; never touches it on disk)',
    options: {},
    positionals: ['ID'],
    async run(ctx) {
      return replied(ctx, ctx.client.invoke('repos.remove', { id: arg(ctx, 0) }), () =>
        printed(ctx, { ok: true }, `Removed repo ${arg(ctx, 0)} from Flotilla (the repo on disk is untouched)`),
      );
    },
  },
  list: {
    name: 'repo list',
    usage: 'repo list',
    options: {},
    positionals: [],
    async run(ctx) {
      return replied(ctx, ctx.client.invoke('repos.list', {}), ({ repos }) => printed(ctx, repos, formatRepoTable(repos)));
    },
  },
};

export const TASK_COMMANDS: Record<string, ClientCommand> = {
  new: {
    name: 'task new',
    usage:
      'task new --repo PATH|ID --prompt TEXT [--title T] [--base BRANCH] [--backlog] [--wait] ' +
      '[--sandbox read-only|workspace-write|full-access] [--network] [--approval on-request|untrusted|never] [--provider NAME] [--model M]',
    options: {
      provider: { type: 'string' },
      model: { type: 'string' },
      repo: { type: 'string' },
      prompt: { type: 'string' },
      title: { type: 'string' },
      base: { type: 'string' },
      wait: { type: 'boolean' },
      backlog: { type: 'boolean' },
      sandbox: { type: 'string' },
      network: { type: 'boolean' },
      approval: { type: 'string' },
    },
    validate: (values) => {
      if (values.sandbox !== undefined && !SandboxModeSchema.safeParse(values.sandbox).success) {
        return `--sandbox must be read-only, workspace-write or full-access, not '${String(values.sandbox)}'`;
      }
      if (values.approval !== undefined && !ApprovalPolicySchema.safeParse(values.approval).success) {
        return `--approval must be on-request, untrusted or never, not '${String(values.approval)}'`;
      }
      return undefined;
    },
    positionals: [],
    required: ['repo', 'prompt'],
    run: createTask,
  },
  list: {
    name: 'task list',
    usage: 'task list',
    options: {},
    positionals: [],
    async run(ctx) {
      return replied(ctx, ctx.client.invoke('tasks.list', {}), ({ tasks }) => printed(ctx, tasks.map(taskJson), formatTaskTable(tasks)));
    },
  },
  show: showCommand,
  diff: diffCommand,
  merge: mergeCommand,
  restore: restoreCommand,
  pr: pullRequestCommand,
  resolve: {
    name: 'task resolve',
    usage: 'task resolve ID [--wait]   (merges the base branch in, conflicts marked; a turn where the agent resolves them)',
    options: { wait: { type: 'boolean' } },
    positionals: ['ID'],
    run: (ctx) => runTurnCommand(ctx, (client) => client.invoke('tasks.resolve', { id: arg(ctx, 0) }), 'Resolving conflicts in'),
  },
  start: {
    name: 'task start',
    usage: 'task start ID [--wait]   (starts a task waiting in the backlog)',
    options: { wait: { type: 'boolean' } },
    positionals: ['ID'],
    run: (ctx) => runTurnCommand(ctx, (client) => client.invoke('tasks.start', { id: arg(ctx, 0) }), 'Started'),
  },
  send: {
    name: 'task send',
    usage: 'task send ID --message TEXT [--wait]   (a follow-up turn in the same worktree)',
    options: { message: { type: 'string' }, wait: { type: 'boolean' } },
    positionals: ['ID'],
    required: ['message'],
    run: (ctx) =>
      runTurnCommand(ctx, (client) => client.invoke('tasks.send', { id: arg(ctx, 0), message: String(ctx.values.message) }), 'Sent to'),
  },
  resume: {
    name: 'task resume',
    usage: 'task resume ID [--message TEXT] [--wait]   (continues a stopped, failed or interrupted task)',
    options: { message: { type: 'string' }, wait: { type: 'boolean' } },
    positionals: ['ID'],
    run: (ctx) =>
      runTurnCommand(
        ctx,
        (client) =>
          client.invoke('tasks.send', {
            id: arg(ctx, 0),
            message: typeof ctx.values.message === 'string' ? ctx.values.message : DEFAULT_RESUME_MESSAGE,
          }),
        'Resumed',
      ),
  },
  stop: taskAction('stop', 'tasks.stop', 'Stopped'),
  discard: taskAction('discard', 'tasks.discard', 'Discarded'),
};

function taskAction(verb: string, method: 'tasks.stop' | 'tasks.discard', done: string): ClientCommand {
  return {
    name: `task ${verb}`,
    usage: `task ${verb} ID`,
    options: {},
    positionals: ['ID'],
    async run(ctx) {
      return replied(ctx, ctx.client.invoke(method, { id: arg(ctx, 0) }), ({ task }) => printed(ctx, taskJson(task), `${done} ${formatTaskLine(task)}`));
    },
  };
}

async function createTask(ctx: CommandContext): Promise<number> {
  const { values } = ctx;
  return runTurnCommand(
    ctx,
    (client) =>
      client.invoke('tasks.create', {
        repo: repoArgument(String(values.repo), ctx.io),
        prompt: String(values.prompt),
        start: values.backlog !== true,
        ...(typeof values.sandbox === 'string' ? { sandbox: SandboxModeSchema.parse(values.sandbox) } : {}),
        ...(values.network === true ? { allowNetwork: true } : {}),
        ...(typeof values.approval === 'string' ? { approval: ApprovalPolicySchema.parse(values.approval) } : {}),
        ...(typeof values.title === 'string' ? { title: values.title } : {}),
        ...(typeof values.base === 'string' ? { baseBranch: values.base } : {}),
        ...(typeof values.provider === 'string' ? { provider: values.provider } : {}),
        ...(typeof values.model === 'string' ? { model: values.model } : {}),
      }),
    'Created',
  );
}

/**
 * new / start / send / resume: one call that queues a turn, then with --wait the wait until the
 * task leaves queued/running. The event stream opens first: a quick task may finish before the
 * call even answers.
 */
export async function runTurnCommand(
  ctx: CommandContext,
  call: (client: HostClient) => Promise<CallResult<{ ok: true; task: Task } | Failure>>,
  done: string,
): Promise<number> {
  let stream: EventStream | undefined;
  if (ctx.values.wait === true) {
    const opened = await ctx.client.openEvents();
    if (!opened.ok) return callFailed(ctx, opened.message);
    stream = opened.value;
  }
  const seen = new Map<string, Task>();
  const unsubscribe = stream?.on((e) => {
    if (e.event === 'tasks.onDidChange') seen.set(e.payload.task.id, e.payload.task);
  });
  try {
    return await replied(ctx, call(ctx.client), ({ task }) => {
      if (!stream) return printed(ctx, taskJson(task), `${done} ${formatTaskLine(task)}`);
      if (!ctx.isJson) ctx.io.stdout(`${done} ${formatTaskLine(task)}`);
      return printWhenSettled(ctx, stream, seen.get(task.id) ?? task);
    });
  } finally {
    unsubscribe?.();
    stream?.close();
  }
}

async function printWhenSettled(ctx: CommandContext, stream: EventStream, latest: Task): Promise<number> {
  const settled = await waitUntilSettled(stream, latest);
  if (!settled.ok) return callFailed(ctx, settled.message);
  const task = settled.value;
  const reason = task.statusReason ? `: ${task.statusReason}` : '';
  printed(ctx, taskJson(task), inertLine(`Task ${task.id} is ${task.status}${reason}`));
  return task.status === 'failed' ? EXIT_FAILURE : EXIT_OK;
}

/** Resolves when the task leaves queued/running, or when the connection to the host ends. */
function waitUntilSettled(stream: EventStream, latest: Task): Promise<CallResult<Task>> {
  if (!isActive(latest.status)) return Promise.resolve({ ok: true, value: latest });
  return new Promise((resolve) => {
    const unsubscribe = stream.on((e) => {
      if (e.event !== 'tasks.onDidChange' || e.payload.task.id !== latest.id || isActive(e.payload.task.status)) return;
      unsubscribe();
      resolve({ ok: true, value: e.payload.task });
    });
    void stream.closed.then((reason) => resolve({ ok: false, message: reason }));
  });
}

export function arg(ctx: CommandContext, index: number): string {
  return ctx.positionals[index] ?? '';
}

