import { NO_GRANTS } from '../../../shared/model/approval.js';
import { DEFAULT_SANDBOX_POLICY } from '../../../shared/model/sandboxPolicy.js';
import type { Repo, Task } from '../../../shared/model/task.js';
import type { TaskEvent, TaskEventBody } from '../../../shared/model/taskEvents.js';

/** A valid task (it passes TaskSchema); override what the test is about. */
export function makeTask(overrides: Partial<Task> = {}): Task {
  const id = overrides.id ?? 't1';
  return {
    id,
    title: `Task ${id}`,
    prompt: 'Do the thing',
    repoId: 'r1',
    repoName: 'repo',
    repoPath: '/tmp/repo',
    status: 'running',
    branch: `flotilla/${id}`,
    baseBranch: 'main',
    baseCommit: '0'.repeat(40),
    worktreePath: `/tmp/worktrees/${id}`,
    statusReason: null,
    mergeCommit: null,
    mergeStrategy: null,
    model: 'test-model',
    policy: { ...DEFAULT_SANDBOX_POLICY, extraWritablePaths: [] },
    grants: { ...NO_GRANTS, writablePaths: [], commands: [] },
    pendingApproval: null,
    usage: { inputTokens: 0, outputTokens: 0 },
    createdAt: 1_000,
    updatedAt: 1_000,
    ...overrides,
  };
}

export function makeRepo(overrides: Partial<Repo> = {}): Repo {
  return {
    id: 'r1',
    name: 'repo',
    path: '/tmp/repo',
    defaultBranch: 'main',
    addedAt: 1,
    settings: { setupScript: '', cleanupScript: '', copyFiles: [], baseBranch: null, scriptNetwork: false, unixSockets: [], homeReadOnlyPaths: [] },
    ...overrides,
  };
}

export function makeEvent(seq: number, body: TaskEventBody, taskId = 't1'): TaskEvent {
  return { seq, taskId, at: 1_000 + seq, body };
}
