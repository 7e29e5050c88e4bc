import type { Db } from './database.js';
import { TaskPlanSchema, type TaskPlan } from '../../../shared/model/plan.js';
import { redactStrings, ruleRedactor, type SecretRedactor } from '../redaction/redactSecrets.js';
import { MergeStrategySchema, type Task, type MergeStrategy } from '../../../shared/model/task.js';
import { TaskStatusSchema, type TaskStatus } from '../../../shared/model/taskLifecycle.js';
import { DEFAULT_SANDBOX_POLICY, SandboxPolicySchema } from '../../../shared/model/sandboxPolicy.js';
import {
  ApprovalRequestSchema,
  NO_GRANTS,
  TaskGrantsSchema,
  type ApprovalRequest,
  type TaskGrants,
} from '../../../shared/model/approval.js';

interface TaskRow {
  id: string;
  repo_id: string;
  repo_name: string;
  repo_path: string;
  title: string;
  prompt: string;
  status: string;
  branch: string;
  base_branch: string;
  base_commit: string;
  worktree_path: string;
  status_reason: string | null;
  merge_commit: string | null;
  merge_strategy: string | null;
  pr_url: string | null;
  archived_at: number | null;
  model: string;
  provider: string | null;
  is_model_pinned: number;
  plan: string | null;
  agent_history: string;
  turns: number;
  input_tokens: number;
  output_tokens: number;
  policy: string | null;
  grants: string | null;
  pending_approval: string | null;
  created_at: number;
  updated_at: number;
}

const SELECT_TASK = `
  SELECT t.*, r.name AS repo_name, r.path AS repo_path
  FROM tasks t JOIN repos r ON r.id = t.repo_id`;

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    prompt: row.prompt,
    repoId: row.repo_id,
    repoName: row.repo_name,
    repoPath: row.repo_path,
    status: TaskStatusSchema.parse(row.status),
    branch: row.branch,
    baseBranch: row.base_branch,
    baseCommit: row.base_commit,
    worktreePath: row.worktree_path,
    statusReason: row.status_reason,
    mergeCommit: row.merge_commit,
    mergeStrategy: MergeStrategySchema.safeParse(row.merge_strategy).data ?? null,
    prUrl: row.pr_url,
    archivedAt: row.archived_at,
    model: row.model,
    provider: row.provider,
    isModelPinned: row.is_model_pinned === 1,
    plan: row.plan ? TaskPlanSchema.parse(JSON.parse(row.plan)) : null,
    // Tasks from before policies existed ran with the defaults.
    policy: row.policy ? SandboxPolicySchema.parse(JSON.parse(row.policy)) : DEFAULT_SANDBOX_POLICY,
    grants: row.grants ? TaskGrantsSchema.parse(JSON.parse(row.grants)) : NO_GRANTS,
    pendingApproval: row.pending_approval ? ApprovalRequestSchema.parse(JSON.parse(row.pending_approval)) : null,
    usage: { inputTokens: row.input_tokens, outputTokens: row.output_tokens },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface TaskPatch {
  status?: TaskStatus;
  statusReason?: string | null;
  grants?: TaskGrants;
  pendingApproval?: ApprovalRequest | null;
  mergeCommit?: string | null;
  mergeStrategy?: MergeStrategy | null;
  prUrl?: string | null;
  archivedAt?: number | null;
  plan?: TaskPlan | null;
  /** The change's time (ms since epoch), when it must equal its journal event's; else the store's clock. */
  updatedAt?: number;
}

/**
 * The tasks table. Text a user or an agent wrote (title, prompt, status reason, the pending
 * approval, the agent history a resume replays) is redacted before it is written (issue 12):
 * a resumed turn sees `ghp_****` where the live turn saw the token.
 */
export class TaskStore {
  private readonly redact: (text: string) => string;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
    redactor: SecretRedactor = ruleRedactor,
  ) {
    this.redact = (text) => redactor.redact(text);
  }

  /** Inserts a new task (its usage starts at zero). */
  insert(task: Task): void {
    this.db
      .prepare(
        `INSERT INTO tasks (id, repo_id, title, prompt, status, branch, base_branch, base_commit, worktree_path,
           status_reason, merge_commit, merge_strategy, model, provider, is_model_pinned, policy, grants, created_at, updated_at)
         VALUES (@id, @repoId, @title, @prompt, @status, @branch, @baseBranch, @baseCommit, @worktreePath,
           @statusReason, @mergeCommit, @mergeStrategy, @model, @provider, @isModelPinned, @policy, @grants, @createdAt, @updatedAt)`,
      )
      .run({
        id: task.id, repoId: task.repoId, title: this.titleOf(task), prompt: this.redact(task.prompt), status: task.status,
        branch: task.branch, baseBranch: task.baseBranch, baseCommit: task.baseCommit, worktreePath: task.worktreePath,
        statusReason: task.statusReason === null ? null : this.redact(task.statusReason), mergeCommit: task.mergeCommit, mergeStrategy: task.mergeStrategy,
        model: task.model, provider: task.provider ?? null, isModelPinned: task.isModelPinned ? 1 : 0, policy: JSON.stringify(task.policy), grants: JSON.stringify(task.grants),
        createdAt: task.createdAt, updatedAt: task.updatedAt,
      });
  }

  /**
   * The title, redacted. A title cut from the prompt (`…`) may end inside a token, too short
   * there for any rule to know it: then it is cut from the redacted prompt instead.
   */
  private titleOf(task: Task): string {
    const title = this.redact(task.title);
    if (!task.title.endsWith('…')) return title;
    const cut = task.title.slice(0, -1);
    const prompt = task.prompt.trim();
    const redactedPrompt = this.redact(prompt);
    if (!prompt.startsWith(cut) || redactedPrompt.startsWith(cut)) return title;
    const firstLine = redactedPrompt.split('\n')[0]?.trim() ?? '';
    return firstLine.length <= cut.length ? firstLine : `${firstLine.slice(0, cut.length).trimEnd()}…`;
  }

  get(id: string): Task | undefined {
    const row = this.db.prepare(`${SELECT_TASK} WHERE t.id = ?`).get(id) as TaskRow | undefined;
    return row && toTask(row);
  }

  list(): Task[] {
    return (this.db.prepare(`${SELECT_TASK} ORDER BY t.created_at, t.id`).all() as TaskRow[]).map(toTask);
  }

  listByStatus(status: TaskStatus): Task[] {
    return (this.db.prepare(`${SELECT_TASK} WHERE t.status = ? ORDER BY t.created_at, t.id`).all(status) as TaskRow[]).map(toTask);
  }

  /** Applies the patch and returns the updated task. */
  update(id: string, patch: TaskPatch): Task {
    const sets: string[] = ['updated_at = @updatedAt'];
    if (patch.status !== undefined) sets.push('status = @status');
    if (patch.statusReason !== undefined) sets.push('status_reason = @statusReason');
    if (patch.mergeCommit !== undefined) sets.push('merge_commit = @mergeCommit');
    if (patch.mergeStrategy !== undefined) sets.push('merge_strategy = @mergeStrategy');
    if (patch.prUrl !== undefined) sets.push('pr_url = @prUrl');
    if (patch.archivedAt !== undefined) sets.push('archived_at = @archivedAt');
    if (patch.grants !== undefined) sets.push('grants = @grants');
    if (patch.pendingApproval !== undefined) sets.push('pending_approval = @pendingApproval');
    if (patch.plan !== undefined) sets.push('plan = @plan');
    this.db.prepare(`UPDATE tasks SET ${sets.join(', ')} WHERE id = @id`).run({
      ...patch,
      statusReason: typeof patch.statusReason === 'string' ? this.redact(patch.statusReason) : patch.statusReason,
      grants: patch.grants === undefined ? undefined : JSON.stringify(patch.grants),
      pendingApproval:
        patch.pendingApproval === undefined || patch.pendingApproval === null ? null : JSON.stringify(redactStrings(patch.pendingApproval, this.redact)),
      // The model wrote the plan's words: redacted like every text it wrote.
      plan: patch.plan === undefined || patch.plan === null ? null : JSON.stringify(redactStrings(patch.plan, this.redact)),
      id,
      updatedAt: patch.updatedAt ?? this.clock(),
    });
    const task = this.get(id);
    if (!task) throw new Error(`task ${id} vanished during update`);
    return task;
  }

  agentHistory(id: string): { history: unknown[]; turns: number } {
    const row = this.db.prepare('SELECT agent_history, turns FROM tasks WHERE id = ?').get(id) as
      | { agent_history: string; turns: number }
      | undefined;
    return row ? { history: JSON.parse(row.agent_history) as unknown[], turns: row.turns } : { history: [], turns: 0 };
  }

  addUsage(id: string, usage: { inputTokens: number; outputTokens: number }): void {
    this.db
      .prepare('UPDATE tasks SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ? WHERE id = ?')
      .run(usage.inputTokens, usage.outputTokens, id);
  }

  saveAgentHistory(id: string, history: unknown[], turns: number): void {
    this.db.prepare('UPDATE tasks SET agent_history = ?, turns = ? WHERE id = ?').run(JSON.stringify(redactStrings(history, this.redact)), turns, id);
  }
}
