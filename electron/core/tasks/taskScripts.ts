import type { Task } from '../../../shared/model/task.js';
import type { Journal } from '../journal/journal.js';
import type { RepoStore } from '../store/repoStore.js';
import type { TaskStore } from '../store/taskStore.js';
import { scriptSandbox } from './taskSandbox.js';
import type { TaskTransitions } from './taskTransitions.js';
import { cleanupWorktree, prepareWorktree, SETUP_CALL_ID } from './worktreeSetup.js';

/**
 * The repo's scripts as a task runs them: setup before its first turn (again until it once
 * succeeds), cleanup before its worktree is removed. Both run in the task's sandbox and are
 * journalled on the task (see worktreeSetup.ts for the scripts themselves).
 */

export interface TaskScriptDeps {
  repos: Pick<RepoStore, 'get'>;
  transitions: TaskTransitions;
  /** FLOTILLA_HOME: where the task's sandbox HOME lives. */
  home: string;
  /** The host's environment: where the sandbox finds the real home and the sockets to hide. */
  env: NodeJS.ProcessEnv;
}

/** How the setup before a task's first turn went. */
export type SetupResult =
  | { kind: 'done' | 'skipped' }
  | { kind: 'failed'; hadNetwork: boolean }
  | { kind: 'sandbox_unavailable'; reason: string };

/** Copies files and runs the repo's setup script before the first turn; again if it never succeeded. */
export async function setUpTaskOnce(
  deps: TaskScriptDeps & { tasks: Pick<TaskStore, 'agentHistory'>; journal: Pick<Journal, 'eventsOfKinds'> },
  task: Task,
  signal: AbortSignal,
): Promise<SetupResult> {
  const repo = deps.repos.get(task.repoId);
  if (!repo || hasSetUp(deps, task.id)) return { kind: 'skipped' };
  const outcome = await prepareWorktree({
    repoPath: repo.path,
    worktreePath: task.worktreePath,
    settings: repo.settings,
    sandbox: () => scriptSandbox(task, repo.settings, deps.home, deps.env),
    // The wall time of one of the task's commands: a setup script is one more command.
    timeoutMs: task.policy.commandTimeoutMs,
    signal,
    record: (body) => deps.transitions.record(task.id, body),
  });
  if (outcome === null) return { kind: 'skipped' };
  if (outcome.kind === 'sandbox_unavailable') return outcome;
  if (outcome.exitCode === 0) return { kind: 'done' };
  return { kind: 'failed', hadNetwork: repo.settings.scriptNetwork || task.policy.allowNetwork };
}

/** Runs the repo's cleanup script in the task's worktree, if the repo (still) has one. */
export async function cleanUpTask(deps: TaskScriptDeps, task: Task): Promise<void> {
  const repo = deps.repos.get(task.repoId);
  if (!repo) return;
  await cleanupWorktree({
    worktreePath: task.worktreePath,
    settings: repo.settings,
    sandbox: () => scriptSandbox(task, repo.settings, deps.home, deps.env),
    record: (body) => deps.transitions.record(task.id, body),
  });
}

/** Why a task failed in its setup; without network, the likely cause and its fix too. */
export function setupFailureReason(hadNetwork: boolean): string {
  const reason = "the repo's setup script failed; see its output in the task";
  if (hadNetwork) return reason;
  return `${reason}. Setup and cleanup scripts run in the task's sandbox without network unless the repo allows it (Settings → Repos → Sandbox, or \`flotilla repo config ID --script-network on\`)`;
}

/** Set up already: a turn has run, or the setup script once finished with exit code 0. */
function hasSetUp(deps: { tasks: Pick<TaskStore, 'agentHistory'>; journal: Pick<Journal, 'eventsOfKinds'> }, taskId: string): boolean {
  if (deps.tasks.agentHistory(taskId).turns > 0) return true;
  return deps.journal
    .eventsOfKinds(taskId, ['command_finished'])
    .some(({ body }) => body.kind === 'command_finished' && body.callId === SETUP_CALL_ID && body.exitCode === 0);
}
