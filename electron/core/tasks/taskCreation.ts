import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Failure } from '../../../shared/contract.js';
import { NO_GRANTS } from '../../../shared/model/approval.js';
import type { ApprovalPolicy, SandboxMode, SandboxPolicy } from '../../../shared/model/sandboxPolicy.js';
import type { Task } from '../../../shared/model/task.js';
import { createTaskWorktree, slugify } from '../git/worktrees.js';
import type { RepoService } from '../repos/repoService.js';
import type { TaskStore } from '../store/taskStore.js';
import type { TaskRunner } from './taskRunner.js';
import type { TaskTransitions } from './taskTransitions.js';

/**
 * Making a task: its title and worktree (a folder of its own under FLOTILLA_HOME, on a new
 * branch), its policy (the user's choices over the settings' defaults), and its first turn
 * queued unless it is meant for the Backlog.
 */

export interface CreateTaskInput {
  repo: string;
  prompt: string;
  title?: string | undefined;
  baseBranch?: string | undefined;
  /** false: leave the task in Backlog until it is started. */
  start?: boolean | undefined;
  sandbox?: SandboxMode | undefined;
  allowNetwork?: boolean | undefined;
  approval?: ApprovalPolicy | undefined;
  /** A provider profile's name; unset: the default in effect at each turn. */
  provider?: string | undefined;
  /** The model for this task; unset: its provider's. */
  model?: string | undefined;
}

export interface TaskCreationDeps {
  home: string;
  tasks: Pick<TaskStore, 'get'>;
  repos: Pick<RepoService, 'resolve'>;
  transitions: TaskTransitions;
  runner: Pick<TaskRunner, 'warmUp' | 'enqueue'>;
  /** The provider and model a new task gets, or why the chosen provider cannot be used. */
  agentFor: (wanted: { provider?: string | undefined; model?: string | undefined }) => { model: string } | Failure;
  /** The policy new tasks get unless they choose their own (from the settings). */
  defaultPolicy: () => SandboxPolicy;
  clock: () => number;
}

export async function createTask(deps: TaskCreationDeps, input: CreateTaskInput): Promise<{ ok: true; task: Task } | Failure> {
  const agent = deps.agentFor({ provider: input.provider, model: input.model });
  if ('ok' in agent) return agent;
  const resolved = await deps.repos.resolve(input.repo);
  if (!resolved.ok) return resolved;
  const repo = resolved.repo;
  // The worker loads while git works: the turn that follows starts at once.
  if (input.start !== false) deps.runner.warmUp();
  const title = input.title ?? titleFromPrompt(input.prompt);
  const slug = slugify(title);
  const worktreePath = uniquePath(path.join(deps.home, 'worktrees', repo.id, slug));
  // createTaskWorktree inspects the repo itself ('' = the branch checked out there): one
  // inspection per task, on the path to the agent's start.
  const worktree = await createTaskWorktree({
    repoPath: repo.path,
    worktreePath,
    slug,
    baseBranch: input.baseBranch ?? repo.settings.baseBranch ?? '',
    listUncommitted: true,
  });
  if (!worktree.ok) return worktree;
  const now = deps.clock();
  const task: Task = {
    id: crypto.randomBytes(4).toString('hex'),
    title,
    prompt: input.prompt,
    repoId: repo.id,
    repoName: repo.name,
    repoPath: repo.path,
    status: 'backlog',
    branch: worktree.branch,
    baseBranch: worktree.baseBranch,
    baseCommit: worktree.baseCommit,
    worktreePath,
    statusReason: null,
    mergeCommit: null,
    mergeStrategy: null,
    model: agent.model,
    provider: input.provider ?? null,
    isModelPinned: input.model !== undefined,
    plan: null,
    policy: policyFor(input, deps.defaultPolicy()),
    grants: NO_GRANTS,
    pendingApproval: null,
    usage: { inputTokens: 0, outputTokens: 0 },
    createdAt: now,
    updatedAt: now,
  };
  deps.transitions.created(task);
  // `git status` of a big checkout takes a while: queue the task first, then note.
  const created = input.start === false ? task : deps.runner.enqueue(task, input.prompt);
  noteUncommittedChanges(deps.transitions, task, await worktree.uncommitted);
  return { ok: true, task: deps.tasks.get(created.id) ?? created };
}

/** First line of the prompt, cut at a word boundary near 60 characters. */
export function titleFromPrompt(prompt: string): string {
  const firstLine = prompt.trim().split('\n')[0]?.trim() ?? '';
  if (firstLine.length <= 60) return firstLine || 'Untitled task';
  const cut = firstLine.slice(0, 60);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 30 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** The task starts from the last commit: say so when the user's checkout holds more than that. */
function noteUncommittedChanges(transitions: TaskTransitions, task: Task, uncommitted: string[]): void {
  if (uncommitted.length === 0) return;
  const count = uncommitted.length === 1 ? '1 file' : `${uncommitted.length} files`;
  transitions.record(task.id, {
    kind: 'note',
    text: `Your checkout has uncommitted changes (${count}); this task starts from the last commit of ${task.baseBranch} (${task.baseCommit.slice(0, 10)}) without them. Your checkout is left as it is.`,
  });
}

/** `dir`, or `dir-2`, `dir-3`… so a new task never lands in a folder that exists. */
function uniquePath(dir: string): string {
  if (!fs.existsSync(dir)) return dir;
  for (let n = 2; ; n++) if (!fs.existsSync(`${dir}-${n}`)) return `${dir}-${n}`;
}

/** The task's policy: what the user chose at creation, the settings' defaults for the rest. */
function policyFor(input: CreateTaskInput, defaults: SandboxPolicy): SandboxPolicy {
  return {
    ...defaults,
    mode: input.sandbox ?? defaults.mode,
    allowNetwork: input.allowNetwork ?? defaults.allowNetwork,
    approval: input.approval ?? defaults.approval,
    extraWritablePaths: [],
  };
}
