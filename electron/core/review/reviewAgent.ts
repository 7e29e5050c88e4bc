import { failure, type Failure } from '../../../shared/contract.js';
import type { TaskDiff } from '../../../shared/model/diff.js';
import type { ReviewComment, ReviewVerdict } from '../../../shared/model/reviewComment.js';
import { NO_GRANTS } from '../../../shared/model/approval.js';
import type { Task } from '../../../shared/model/task.js';
import { startAgentTurn } from '../agent/agentRunner.js';
import type { RepoStore } from '../store/repoStore.js';
import type { TaskStore } from '../store/taskStore.js';
import type { TaskTransitions } from '../tasks/taskTransitions.js';
import { workerEnv, workerStartConfig, type AgentSettings } from '../tasks/workerStartConfig.js';
import type { StartChild } from '../util/childConnection.js';
import { errorMessage } from '../util/errorMessage.js';
import type { ReviewComments } from './reviewComments.js';
import { parseReviewAnswer, REVIEW_OUTPUT_FORMAT } from './reviewFindings.js';
import { REVIEW_INSTRUCTIONS, reviewFirstMessage } from './reviewPrompt.js';

type Result<T> = ({ ok: true } & T) | Failure;

/** 30 model calls: a review reads a few files, then answers. */
const REVIEW_MAX_STEPS = 30;

export interface ReviewAgentDeps {
  home: string;
  env: NodeJS.ProcessEnv;
  tasks: Pick<TaskStore, 'get'>;
  repos: Pick<RepoStore, 'get'>;
  transitions: Pick<TaskTransitions, 'record'>;
  comments: ReviewComments;
  /** The reviewed task's provider and model: the review runs on the same provider. */
  settings: (task?: Task) => AgentSettings;
  /** Whether the task's own agent holds a turn (running or queued): its worktree is still changing. */
  isBusy: (taskId: string) => boolean;
  diff: (taskId: string) => Promise<Result<{ diff: TaskDiff }>>;
  startChild?: StartChild;
  startTurn?: typeof startAgentTurn;
}

/**
 * "Review with agent": a separate agent run over the task's diff with the same provider, in a
 * read-only sandbox of the task's worktree, with no approvals (anything beyond reading is refused),
 * asked for Codex review-mode JSON. Its findings are stored as comments of kind `finding`.
 */
export class ReviewAgent {
  private readonly reviewing = new Set<string>();

  constructor(private readonly deps: ReviewAgentDeps) {}

  async review(taskId: string): Promise<Result<{ verdict: ReviewVerdict; findings: ReviewComment[] }>> {
    const task = this.deps.tasks.get(taskId);
    if (!task) return failure('not_found', `no task with id "${taskId}"`);
    if (this.deps.isBusy(taskId) || task.status === 'running' || task.status === 'queued') {
      return failure('invalid_state', `task ${taskId} is ${task.status}; review it once its agent has finished the turn`);
    }
    if (this.reviewing.has(taskId)) return failure('invalid_state', `task ${taskId} is already being reviewed; wait for that review`);
    this.reviewing.add(taskId);
    try {
      return await this.run(task);
    } finally {
      this.reviewing.delete(taskId);
    }
  }

  private async run(task: Task): Promise<Result<{ verdict: ReviewVerdict; findings: ReviewComment[] }>> {
    const shown = await this.deps.diff(task.id);
    if (!shown.ok) return shown;
    if (shown.diff.files.length === 0) return failure('invalid_state', `task ${task.id} changes nothing yet; there is nothing to review`);
    this.deps.transitions.record(task.id, { kind: 'note', text: 'AI review started (read-only review agent)' });
    const answer = await this.ask(task, shown.diff);
    if (!answer.ok) {
      this.deps.transitions.record(task.id, { kind: 'error', message: `AI review failed: ${answer.message}` });
      return answer;
    }
    const parsed = parseReviewAnswer(answer.text, { worktreePath: task.worktreePath, files: shown.diff.files });
    if (!parsed.ok) {
      this.deps.transitions.record(task.id, { kind: 'error', message: `AI review failed: ${parsed.reason}` });
      return failure('invalid_state', parsed.reason);
    }
    const findings = this.deps.comments.addFindings(task.id, parsed.findings);
    const dropped = parsed.droppedPaths.length > 0 ? ` (${parsed.droppedPaths.length} outside the worktree dropped)` : '';
    const count = findings.length === 1 ? '1 finding' : `${findings.length} findings`;
    this.deps.transitions.record(task.id, { kind: 'note', text: `AI review: ${parsed.verdict.overallCorrectness}; ${count}${dropped}` });
    return { ok: true, verdict: parsed.verdict, findings };
  }

  /** Runs the review agent's turn; its last message is the answer. */
  private async ask(task: Task, diff: TaskDiff): Promise<{ ok: true; text: string } | Failure> {
    // The task's own policy does not apply: the reviewer reads, never writes, never asks.
    const reviewerTask: Task = {
      ...task,
      policy: { ...task.policy, mode: 'read-only', allowNetwork: false, approval: 'never', extraWritablePaths: [] },
      grants: NO_GRANTS,
    };
    let config;
    try {
      config = await workerStartConfig(
        { home: this.deps.home, env: this.deps.env, repos: this.deps.repos, settings: this.deps.settings(task) },
        { task: reviewerTask, history: [], message: reviewFirstMessage(task, diff) },
      );
    } catch (error) {
      return failure('invalid_state', `the review agent could not start: ${errorMessage(error)}`);
    }
    let lastMessage: string | null = null;
    const handle = (this.deps.startTurn ?? startAgentTurn)({
      config: { ...config, maxSteps: REVIEW_MAX_STEPS, commandTerminal: 'pipes', instructions: REVIEW_INSTRUCTIONS, textFormat: REVIEW_OUTPUT_FORMAT },
      env: workerEnv(this.deps.env),
      ...(this.deps.startChild ? { startChild: this.deps.startChild } : {}),
      onEvent: (event) => {
        if (event.type === 'agent_message') lastMessage = event.text;
      },
    });
    const outcome = await handle.done;
    if (outcome.kind === 'failed') return failure(outcome.isSandboxUnavailable ? 'sandbox_unavailable' : 'unavailable', `the review agent failed: ${outcome.reason}`);
    if (outcome.kind === 'crashed') return failure('unavailable', `the review agent crashed: ${outcome.reason}`);
    if (outcome.kind === 'stopped') return failure('invalid_state', 'the review agent was stopped');
    if (lastMessage === null) return failure('invalid_state', 'the review agent gave no answer');
    return { ok: true, text: lastMessage };
  }
}
