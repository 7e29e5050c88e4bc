import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { failure, type Failure } from '../../../shared/contract.js';
import { canMerge, canTransition, isActive, isFinal } from '../../../shared/model/taskLifecycle.js';
import type { ApprovalPolicy, SandboxMode, SandboxPolicy } from '../../../shared/model/sandboxPolicy.js';
import { NO_GRANTS, type ApprovalDecision, type ApprovalRequest, type TaskGrants } from '../../../shared/model/approval.js';
import type { MergeStrategy, Task } from '../../../shared/model/task.js';
import type { TaskDiff } from '../../../shared/model/diff.js';
import type { TaskEvent } from '../../../shared/model/taskEvents.js';
import { branchDiff } from '../git/branchDiff.js';
import { checkpointCommit } from '../git/checkpoint.js';
import { mergeTaskBranch } from '../git/merge.js';
import { inspectRepo } from '../git/repoInspect.js';
import { createTaskWorktree, removeTaskWorktree, slugify } from '../git/worktrees.js';
import { repoGoneReason } from '../git/worktreeRecovery.js';
import { cleanupWorktree } from './worktreeSetup.js';
import { scriptSandbox } from './taskSandbox.js';
import type { RepoService } from '../repos/repoService.js';
import type { Journal } from '../journal/journal.js';
import type { TaskStore } from '../store/taskStore.js';
import type { TaskRunner } from './taskRunner.js';
import type { TaskTransitions } from './taskTransitions.js';
import { errorMessage } from '../util/errorMessage.js';

type Result<T> = ({ ok: true } & T) | Failure;

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
}

/** What a user can do to tasks: create, inspect, stop, discard, merge. */
export class TaskService {
  constructor(
    private readonly deps: {
      home: string;
      tasks: TaskStore;
      journal: Journal;
      repos: RepoService;
      transitions: TaskTransitions;
      runner: TaskRunner;
      model: () => string;
      /** The policy new tasks get unless they choose their own (from the settings). */
      defaultPolicy: () => SandboxPolicy;
      clock: () => number;
      /** The host's environment: where the cleanup script's sandbox finds the real home and sockets to hide. */
      env: NodeJS.ProcessEnv;
      /** Ends what still runs in a worktree about to be removed (the task's terminals). */
      beforeRemoveWorktree: (taskId: string) => void;
    },
  ) {}

  list(): Task[] {
    return this.deps.tasks.list();
  }

  get(id: string): Result<{ task: Task }> {
    const task = this.deps.tasks.get(id);
    return task ? { ok: true, task } : notFound(id);
  }

  events(id: string, afterSeq = 0): Result<{ events: TaskEvent[] }> {
    if (!this.deps.tasks.get(id)) return notFound(id);
    return { ok: true, events: this.deps.journal.eventsOf(id, afterSeq) };
  }

  async create(input: CreateTaskInput): Promise<Result<{ task: Task }>> {
    const resolved = await this.deps.repos.resolve(input.repo);
    if (!resolved.ok) return resolved;
    const repo = resolved.repo;
    // The worker loads while git works: the turn that follows starts at once.
    if (input.start !== false) this.deps.runner.warmUp();
    const title = input.title ?? titleFromPrompt(input.prompt);
    const slug = slugify(title);
    const worktreePath = uniquePath(path.join(this.deps.home, 'worktrees', repo.id, slug));
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
    const now = this.deps.clock();
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
      model: this.deps.model(),
      policy: policyFor(input, this.deps.defaultPolicy()),
      grants: NO_GRANTS,
      pendingApproval: null,
      usage: { inputTokens: 0, outputTokens: 0 },
      createdAt: now,
      updatedAt: now,
    };
    this.deps.transitions.created(task);
    // `git status` of a big checkout takes a while: queue the task first, then note.
    const created = input.start === false ? task : this.deps.runner.enqueue(task, input.prompt);
    this.noteUncommittedChanges(task, await worktree.uncommitted);
    return { ok: true, task: this.deps.tasks.get(created.id) ?? created };
  }

  /** Starts a task waiting in Backlog with its prompt. */
  start(id: string): Result<{ task: Task }> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    if (task.status !== 'backlog') return failure('invalid_state', `task ${id} is ${task.status}, not in the backlog`);
    const repoGone = repoGoneReason(task.repoPath, task.worktreePath);
    if (repoGone) return failure('repo_missing', `task ${id} cannot run: ${repoGone}`);
    return { ok: true, task: this.deps.runner.enqueue(task, task.prompt) };
  }

  /**
   * Another turn in the same worktree and conversation: a follow-up to a task in Review or
   * Needs you, or resuming one that stopped, failed or was interrupted.
   */
  send(id: string, message: string): Result<{ task: Task }> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    if (task.status === 'backlog') return this.start(id);
    if (this.deps.runner.isRunning(id)) {
      const why = task.pendingApproval ? 'its agent is waiting for your approval; approve or deny it first' : 'its agent is still working';
      return failure('invalid_state', `task ${id} cannot take a message now: ${why}`);
    }
    if (!canTransition(task.status, 'queued')) {
      const why = isActive(task.status) ? 'wait for this turn to end or stop it first' : 'it is finished';
      return failure('invalid_state', `task ${id} is ${task.status}; ${why}`);
    }
    const repoGone = repoGoneReason(task.repoPath, task.worktreePath);
    if (repoGone) return failure('repo_missing', `task ${id} cannot run: ${repoGone}`);
    if (!fs.existsSync(task.worktreePath)) {
      return failure('invalid_state', `the worktree ${task.worktreePath} is missing; the work is on branch ${task.branch}`);
    }
    this.deps.transitions.record(id, { kind: 'user_message', text: message });
    // A first turn that never ended (the host died mid-turn) left no conversation behind: the
    // agent needs the original prompt again, not only "continue".
    const hasConversation = this.deps.tasks.agentHistory(id).turns > 0;
    const turnMessage = hasConversation ? message : `${task.prompt}\n\n${message}`;
    return { ok: true, task: this.deps.runner.enqueue(task, turnMessage) };
  }

  /**
   * The user's answer to the command waiting in `needs_input`. "For this task" grants the same
   * widening (or, under `untrusted`, the same command line) from now on; a denial's message goes
   * back to the agent as the command's result.
   */
  decide(id: string, decision: ApprovalDecision): Result<{ task: Task }> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    const request = task.pendingApproval;
    if (!request) return failure('invalid_state', `task ${id} has no command waiting for approval`);
    const grants = decision.decision === 'approve' && decision.scope === 'task' ? grantFor(task.grants, request) : task.grants;
    if (!this.deps.runner.isRunning(id)) {
      this.deps.tasks.update(id, { pendingApproval: null });
      return failure('invalid_state', `task ${id}'s agent is no longer running; resume the task instead`);
    }
    this.deps.transitions.record(id, { kind: 'approval_decided', requestId: request.requestId, decision });
    const updated = this.deps.transitions.move(id, 'running', null, { pendingApproval: null, grants });
    this.deps.runner.answerApproval(id, request.requestId, decision, grants);
    return { ok: true, task: updated };
  }

  async stop(id: string): Promise<Result<{ task: Task }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    const isWaitingForUser = task.status === 'needs_input' && this.deps.runner.isRunning(id);
    if (task.status !== 'queued' && task.status !== 'running' && !isWaitingForUser) {
      return failure('invalid_state', `task ${id} is ${task.status}, not running`);
    }
    await this.deps.runner.stop(id);
    return this.get(id);
  }

  async discard(id: string): Promise<Result<{ task: Task }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    if (isFinal(task.status)) return failure('invalid_state', `task ${id} is already ${task.status}`);
    if (this.deps.runner.isRunning(id) || task.status === 'queued') await this.deps.runner.stop(id);
    await this.runCleanupScript(task);
    this.deps.beforeRemoveWorktree(id);
    try {
      await removeTaskWorktree({ repoPath: task.repoPath, worktreePath: task.worktreePath, branch: task.branch, deleteBranch: true });
    } catch (error) {
      return failure('git_error', `could not remove the worktree: ${errorMessage(error)}`);
    }
    return { ok: true, task: this.deps.transitions.move(id, 'discarded', 'discarded by you') };
  }

  async diff(id: string): Promise<Result<{ diff: TaskDiff }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    if (task.status === 'discarded') return failure('invalid_state', `task ${id} was discarded; its branch is gone`);
    if (task.status === 'merged' && task.mergeStrategy === 'squash') {
      return failure('invalid_state', `task ${id} was squash-merged as ${task.mergeCommit?.slice(0, 10)}; its branch is gone`);
    }
    try {
      return { ok: true, diff: await branchDiff({ repoPath: task.repoPath, branch: task.branch, baseBranch: task.baseBranch }) };
    } catch (error) {
      return this.gitFailure(task, error);
    }
  }

  async merge(id: string, strategy: MergeStrategy): Promise<Result<{ commit: string; task: Task }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    if (!canMerge(task.status)) {
      const hint = task.status === 'running' || task.status === 'queued' ? '; stop it or wait until it is in Review' : '';
      return failure('invalid_state', `task ${id} is ${task.status} and cannot be merged${hint}`);
    }
    try {
      // Anything left uncommitted in the worktree (e.g. edited by hand) goes in too.
      await checkpointCommit({
        worktreePath: task.worktreePath,
        message: `flotilla: changes before merging "${task.title}"`,
        excludePaths: this.deps.repos.get(task.repoId)?.settings.copyFiles ?? [],
      });
      const merged = await mergeTaskBranch({
        repoPath: task.repoPath,
        branch: task.branch,
        baseBranch: task.baseBranch,
        strategy,
        message: strategy === 'squash' ? `${task.title}\n\n${task.prompt}` : `Merge ${task.branch}: ${task.title}`,
      });
      if (!merged.ok) return merged;
      await this.runCleanupScript(task);
      this.deps.beforeRemoveWorktree(id);
      await removeTaskWorktree({
        repoPath: task.repoPath,
        worktreePath: task.worktreePath,
        branch: task.branch,
        deleteBranch: strategy === 'squash',
      });
      this.deps.transitions.record(id, { kind: 'merged', commit: merged.commit, strategy });
      const done = this.deps.transitions.move(id, 'merged', null, { mergeCommit: merged.commit, mergeStrategy: strategy });
      return { ok: true, commit: merged.commit, task: done };
    } catch (error) {
      return this.gitFailure(task, error);
    }
  }

  private async runCleanupScript(task: Task): Promise<void> {
    const repo = this.deps.repos.get(task.repoId);
    if (!repo) return;
    await cleanupWorktree({
      worktreePath: task.worktreePath,
      settings: repo.settings,
      sandbox: () => scriptSandbox(task, repo.settings, this.deps.home, this.deps.env),
      record: (body) => this.deps.transitions.record(task.id, body),
    });
  }

  /** The task starts from the last commit: say so when the user's checkout holds more than that. */
  private noteUncommittedChanges(task: Task, uncommitted: string[]): void {
    if (uncommitted.length === 0) return;
    const count = uncommitted.length === 1 ? '1 file' : `${uncommitted.length} files`;
    this.deps.transitions.record(task.id, {
      kind: 'note',
      text: `Your checkout has uncommitted changes (${count}); this task starts from the last commit of ${task.baseBranch} (${task.baseCommit.slice(0, 10)}) without them. Your checkout is left as it is.`,
    });
  }

  private async gitFailure(task: Task, error: unknown): Promise<Failure> {
    const inspection = await inspectRepo(task.repoPath);
    if (!inspection.ok) return inspection;
    return failure('git_error', errorMessage(error));
  }
}

function notFound(id: string): Failure {
  return failure('not_found', `no task with id "${id}"`);
}

/** First line of the prompt, cut at a word boundary near 60 characters. */
export function titleFromPrompt(prompt: string): string {
  const firstLine = prompt.trim().split('\n')[0]?.trim() ?? '';
  if (firstLine.length <= 60) return firstLine || 'Untitled task';
  const cut = firstLine.slice(0, 60);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 30 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** `dir`, or `dir-2`, `dir-3`… so a new task never lands in a folder that exists. */
function uniquePath(dir: string): string {
  if (!fs.existsSync(dir)) return dir;
  for (let n = 2; ; n++) if (!fs.existsSync(`${dir}-${n}`)) return `${dir}-${n}`;
}

/** The grants after "approve for this task": the widening asked, or the exact command line. */
function grantFor(grants: TaskGrants, request: ApprovalRequest): TaskGrants {
  if (request.kind === 'untrusted_command') {
    return { ...grants, commands: [...new Set([...grants.commands, request.command])] };
  }
  return {
    network: grants.network || request.widening.network,
    writablePaths: [...new Set([...grants.writablePaths, ...request.widening.writablePaths])],
    commands: grants.commands,
  };
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
