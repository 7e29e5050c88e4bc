import type { Task } from '../../../shared/model/task.js';
import { DEFAULT_MAX_STEPS, type WorkerStartConfig } from '../agent/workerProtocol.js';
import type { RepoStore } from '../store/repoStore.js';
import { taskHiddenPaths, taskSandboxSpec } from './taskSandbox.js';
import { loadInstructions } from '../agent/agentInstructions.js';

/**
 * What a task's agent worker is started with: the turn's config (sandbox, approval policy,
 * model, conversation) and the little of the host's environment the worker process may see.
 */

/** The agent's settings as the runner reads them at each turn. */
export interface AgentSettings {
  model: string;
  /** null: the SDK default (or OPENAI_BASE_URL from the worker's environment). */
  baseURL: string | null;
  /** The API the provider speaks (providers/providerSelection.ts); unset: `responses`. */
  api?: 'responses' | 'chat';
  /** The provider's key; unset: OPENAI_API_KEY in the worker's environment. */
  apiKey?: string | null;
  /** Wall time per sandboxed command, in ms. */
  commandTimeoutMs: number;
  /** At most this many tasks run at once; the rest wait in `queued`, oldest first. */
  maxRunning: number;
}

/** The host environment's keys a worker may have: the model's credentials and basics. */
const WORKER_ENV_KEYS = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'FLOTILLA_MODEL_TIMEOUT_MS'];

export async function workerStartConfig(
  deps: { home: string; env: NodeJS.ProcessEnv; repos: Pick<RepoStore, 'get'>; settings: AgentSettings },
  turn: { task: Task; history: unknown[]; message: string },
): Promise<WorkerStartConfig> {
  const { task } = turn;
  return {
    taskId: task.id,
    worktreePath: task.worktreePath,
    sandbox: await taskSandboxSpec(task, deps.home, deps.repos.get(task.repoId)?.settings),
    approval: task.policy.approval,
    grants: task.grants,
    hiddenPaths: taskHiddenPaths(deps.home, deps.env),
    model: deps.settings.model,
    baseURL: deps.settings.baseURL,
    ...(deps.settings.api ? { api: deps.settings.api } : {}),
    ...(deps.settings.apiKey ? { apiKey: deps.settings.apiKey } : {}),
    history: turn.history,
    message: turn.message,
    // Read on the host, where FLOTILLA_HOME's global AGENTS.md is (the worker never sees it).
    instructions: (await loadInstructions({ home: deps.home, worktreePath: task.worktreePath })).text,
    commandTimeoutMs: task.policy.commandTimeoutMs,
    maxSteps: DEFAULT_MAX_STEPS,
    // FLOTILLA_BWRAP: a bubblewrap installed somewhere unusual (set by the user who starts
    // Flotilla, never read from the repo).
    ...(deps.env.FLOTILLA_BWRAP ? { bwrapPath: deps.env.FLOTILLA_BWRAP } : {}),
  };
}

/**
 * The worker gets the model's credentials and basics only; it passes none of them to commands.
 * Nothing Electron-specific: in the app the worker is a utility process, which runs Node
 * without ELECTRON_RUN_AS_NODE (a fuse the packaged app turns off).
 */
export function workerEnv(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of WORKER_ENV_KEYS) {
    if (source[key] !== undefined) env[key] = source[key];
  }
  return env;
}
