import type { TaskCreationDeps } from './taskCreation.js';
import fs from 'node:fs';
import { failure, type Failure } from '../../../shared/contract.js';
import { canMerge, canTransition, isActive, isFinal } from '../../../shared/model/taskLifecycle.js';
import type { SandboxPolicy } from '../../../shared/model/sandboxPolicy.js';
import type { ApprovalDecision } from '../../../shared/model/approval.js';
import type { MergeStrategy, Task } from '../../../shared/model/task.js';
import type { TaskDiff } from '../../../shared/model/diff.js';
import type { TaskEvent, TaskEventKind } from '../../../shared/model/taskEvents.js';
import { branchDiff, turnDiff } from '../git/branchDiff.js';
import { ConflictPredictor, type SiblingConflict } from '../git/conflictPrediction.js';
import { openPullRequest } from '../git/pullRequest.js';
import { mergeBaseIntoTask, resolvePrompt } from '../git/resolveConflicts.js';
import { branchCommit } from '../git/refNames.js';
import { inspectRepo } from '../git/repoInspect.js';
import { removeTaskWorktree } from '../git/worktrees.js';
import { repoGoneReason } from '../git/worktreeRecovery.js';
import type { RepoService } from '../repos/repoService.js';
import type { Journal } from '../journal/journal.js';
import type { TaskStore } from '../store/taskStore.js';
import { errorMessage } from '../util/errorMessage.js';
import { grantFor } from './taskApprovals.js';
import { createTask, type CreateTaskInput } from './taskCreation.js';
import { copiedFiles, mergePreview, mergeTask, uncommittedChanges, type MergeRequest } from './taskMerge.js';
import { pruneOldArchives, restoreTask } from './taskRestore.js';
import { TASK_EVENTS_PAGE_MAX } from '../../../shared/contracts/taskEventPages.js';
import type { TaskRunner } from './taskRunner.js';
import { cleanUpTask } from './taskScripts.js';
import type { TaskTransitions } from './taskTransitions.js';

export type { CreateTaskInput } from './taskCreation.js';

type Result<T> = ({ ok: true } & T) | Failure;

/**
 * What a user can do to tasks: create (taskCreation.ts), start, send, decide, inspect, stop,
 * discard, merge (taskMerge.ts). Each checks the task's state and says why it refuses.
 */
export class TaskService {
  constructor(
    private readonly deps: {
      home: string;
      tasks: TaskStore;
      journal: Journal;
      repos: RepoService;
      transitions: TaskTransitions;
      runner: TaskRunner;
      agentFor: TaskCreationDeps['agentFor'];
      /** The policy new tasks get unless they choose their own (from the settings). */
      defaultPolicy: () => SandboxPolicy;
      clock: () => number;
      /** The host's environment: where the cleanup script's sandbox finds the real home and sockets to hide. */
      env: NodeJS.ProcessEnv;
      /** Ends what still runs in a worktree about to be removed (the task's terminals). */
      beforeRemoveWorktree: (taskId: string) => void;
      /** Days a removed worktree's archive is kept (the `archiveRetentionDays` setting); default 30. */
      archiveRetentionDays?: () => number;
    },
  ) {}

  private readonly predictor = new ConflictPredictor();

  list(): Task[] {
    return this.deps.tasks.list();
  }

  get(id: string): Result<{ task: Task }> {
    const task = this.deps.tasks.get(id);
    return task ? { ok: true, task } : notFound(id);
  }

  /** One page of the task's journal (shared/contracts/taskEventPages.ts). */
  events(id: string, afterSeq = 0, limit = TASK_EVENTS_PAGE_MAX, kinds?: readonly TaskEventKind[]): Result<{ events: TaskEvent[]; hasMore: boolean; nextAfterSeq: number }> {
    if (!this.deps.tasks.get(id)) return notFound(id);
    const page = this.deps.journal.pageOf(id, afterSeq, Math.min(limit, TASK_EVENTS_PAGE_MAX), kinds);
    return { ok: true, ...page, nextAfterSeq: page.events.at(-1)?.seq ?? afterSeq };
  }

  /** Makes the task's worktree and queues its first turn (unless `start` is false). */
  create(input: CreateTaskInput): Promise<Result<{ task: Task }>> {
    return createTask(this.deps, input);
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
    // A turn that has ended (its task announced in Review, Needs you…) may hold its slot a moment
    // longer while it is released: a follow-up sent then is queued and starts once it is free.
    const isTurnActive = task.status === 'running' || task.status === 'queued' || task.pendingApproval !== null;
    if (this.deps.runner.isRunning(id) && isTurnActive) {
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
      this.deps.transitions.update(id, { pendingApproval: null });
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
    this.deps.beforeRemoveWorktree(id);
    let archived: string | null;
    try {
      archived = await removeTaskWorktree({
        repoPath: task.repoPath,
        worktreePath: task.worktreePath,
        branch: task.branch,
        deleteBranch: true,
        archive: { taskId: id, message: `flotilla: archive of "${task.title}" before its discard`, excludePaths: copiedFiles(this.deps.repos, task) },
        beforeRemove: () => cleanUpTask(this.deps, task),
      });
    } catch (error) {
      return failure('git_error', `could not archive or remove the worktree (nothing was discarded): ${errorMessage(error)}`);
    }
    const reason = archived ? `discarded by you; flotilla task restore ${id} brings it back` : 'discarded by you';
    const done = this.deps.transitions.move(id, 'discarded', reason, { archivedAt: archived ? this.deps.clock() : null });
    void this.pruneArchives();
    return { ok: true, task: done };
  }

  /** Brings a discarded task back to Review from its archive (taskRestore.ts). */
  async restore(id: string): Promise<Result<{ task: Task }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    try {
      return await restoreTask(this.deps, task);
    } catch (error) {
      return this.gitFailure(task, error);
    }
  }

  /** Drops archives past the retention period; run after each new archive. */
  pruneArchives(): Promise<string[]> {
    // Through the transitions: a forgotten archive is journalled and announced like any change.
    const tasks = { list: () => this.deps.tasks.list(), update: (id: string, patch: { archivedAt: null }) => this.deps.transitions.update(id, patch) };
    return pruneOldArchives({ tasks, retentionDays: this.deps.archiveRetentionDays?.() ?? 30, now: this.deps.clock() });
  }

  async diff(id: string, turn?: number): Promise<Result<{ diff: TaskDiff; uncommitted: string[]; uncommittedDiff?: TaskDiff }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    if (task.status === 'discarded') return failure('invalid_state', `task ${id} was discarded; its branch is gone (flotilla task restore ${id} brings it back)`);
    if (task.status === 'merged' && task.mergeStrategy !== 'merge') {
      return failure('invalid_state', `task ${id} was merged (${task.mergeStrategy}) as ${task.mergeCommit?.slice(0, 10)}; its branch is gone`);
    }
    const checkpoint = turn === undefined ? null : this.deps.journal.eventsOfKinds(id, ['checkpoint']).find(({ body }) => body.kind === 'checkpoint' && body.turn === turn);
    if (turn !== undefined && checkpoint?.body.kind !== 'checkpoint') return failure('invalid_input', `task ${id} has no checkpoint for turn ${turn}`);
    try {
      const [diff, uncommitted] = await Promise.all([
        checkpoint?.body.kind === 'checkpoint'
          ? turnDiff({ repoPath: task.repoPath, checkpoint: checkpoint.body.commit, turn: checkpoint.body.turn })
          : branchDiff({ repoPath: task.repoPath, branch: task.branch, baseBranch: task.baseBranch }),
        uncommittedChanges(this.deps.repos, task, turn === undefined),
      ]);
      return { ok: true, diff, ...uncommitted };
    } catch (error) {
      return this.gitFailure(task, error);
    }
  }

  async merge(id: string, request: MergeRequest): Promise<Result<{ commit: string; task: Task }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    if (!canMerge(task.status)) return notMergeable(task);
    try {
      const merged = await mergeTask({ ...this.deps, eventsOf: (taskId) => this.deps.journal.eventsOf(taskId) }, task, request);
      if (merged.ok) void this.pruneArchives();
      return merged;
    } catch (error) {
      return this.gitFailure(task, error);
    }
  }

  /** The tip to review against, the uncommitted files, and the drafted commit message. */
  async mergePreview(id: string, strategy: MergeStrategy): Promise<Result<{ tip: string | null; uncommitted: string[]; message: string }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    try {
      return { ok: true, ...(await mergePreview({ repos: this.deps.repos, eventsOf: (taskId) => this.deps.journal.eventsOf(taskId) }, task, strategy)) };
    } catch (error) {
      return this.gitFailure(task, error);
    }
  }

  /**
   * "Resolve with agent": the base branch merged into the task's worktree with its conflicts
   * marked (committed, see resolveConflicts.ts), then a turn asking the agent to resolve them.
   */
  async resolve(id: string): Promise<Result<{ task: Task; files: string[] }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    if (this.deps.runner.isRunning(id) || !canTransition(task.status, 'queued') || task.status === 'backlog') {
      return failure('invalid_state', `task ${id} is ${task.status}; conflicts are resolved from Review (or a stopped or failed task)`);
    }
    const repoGone = repoGoneReason(task.repoPath, task.worktreePath);
    if (repoGone) return failure('repo_missing', `task ${id} cannot run: ${repoGone}`);
    try {
      const merged = await mergeBaseIntoTask({ repoPath: task.repoPath, worktreePath: task.worktreePath, branch: task.branch, baseBranch: task.baseBranch });
      if (!merged.ok) return merged;
      this.deps.transitions.record(id, { kind: 'note', text: `Merged ${task.baseBranch} into ${task.branch} with conflicts marked in ${merged.files.join(', ')}; the agent resolves them.` });
      const sent = this.send(id, resolvePrompt(task.baseBranch, merged.files));
      return sent.ok ? { ok: true, task: sent.task, files: merged.files } : sent;
    } catch (error) {
      return this.gitFailure(task, error);
    }
  }

  /** Pushes the task branch and opens a pull request with `gh`; its URL is kept on the task. */
  async pullRequest(id: string): Promise<Result<{ url: string; task: Task }>> {
    const task = this.deps.tasks.get(id);
    if (!task) return notFound(id);
    if (isFinal(task.status) || isActive(task.status) || task.status === 'backlog') {
      return failure('invalid_state', `task ${id} is ${task.status}; a pull request is opened from a task with work to show (in Review, stopped or failed)`);
    }
    try {
      const opened = await openPullRequest({
        repoPath: task.repoPath,
        branch: task.branch,
        baseBranch: task.baseBranch,
        title: task.title,
        body: `${task.prompt.trim()}\n\n---\nOpened by Flotilla from task ${task.id}.\n`,
        env: this.deps.env,
      });
      if (!opened.ok) return opened;
      this.deps.transitions.record(id, { kind: 'note', text: `Pull request opened: ${opened.url}` });
      return { ok: true, url: opened.url, task: this.deps.transitions.update(id, { prUrl: opened.url }) };
    } catch (error) {
      return this.gitFailure(task, error);
    }
  }

  /**
   * For every open task (not merged or discarded): the open tasks of the same repo it would
   * conflict with once one of them is merged, and in which files; and the files it already
   * conflicts with its base branch in (what a merge now would report). Tasks with neither are absent.
   */
  async conflicts(): Promise<Array<{ taskId: string; conflictsWith: SiblingConflict[]; baseConflicts: string[] }>> {
    const open = this.deps.tasks.list().filter((task) => !isFinal(task.status) && task.status !== 'backlog');
    const tipOf = (task: Task, branch: string) =>
      repoGoneReason(task.repoPath, '') ? Promise.resolve(null) : branchCommit(task.repoPath, branch).catch(() => null);
    const tips = await Promise.all(open.map(async (task) => ({ task, tip: await tipOf(task, task.branch), base: await tipOf(task, task.baseBranch) })));
    const predicted = await this.predictor.predict(tips.map(({ task, tip }) => ({ taskId: task.id, repoPath: task.repoPath, tip })));
    const entries = [];
    for (const { task, tip, base } of tips) {
      const baseConflicts = tip && base ? await this.predictor.conflictsOf(task.repoPath, base, tip) : [];
      const conflictsWith = predicted.get(task.id) ?? [];
      if (conflictsWith.length > 0 || baseConflicts.length > 0) entries.push({ taskId: task.id, conflictsWith, baseConflicts });
    }
    return entries;
  }

  private async gitFailure(task: Task, error: unknown): Promise<Failure> {
    const inspection = await inspectRepo(task.repoPath);
    if (!inspection.ok) return inspection;
    return failure('git_error', errorMessage(error));
  }
}

function notMergeable(task: Task): Failure {
  if (task.status === 'merged') return failure('invalid_state', `task ${task.id} is already merged (${task.mergeCommit?.slice(0, 10) ?? ''} on ${task.baseBranch})`);
  const hint = isActive(task.status) || task.status === 'needs_input' ? '; stop it or wait until it is in Review' : '';
  return failure('invalid_state', `task ${task.id} is ${task.status} and cannot be merged${hint}`);
}

function notFound(id: string): Failure {
  return failure('not_found', `no task with id "${id}"`);
}
