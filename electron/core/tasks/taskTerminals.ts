import fs from 'node:fs';
import { failure, type Failure } from '../../../shared/contract.js';
import type { ShellKind, TerminalInfo } from '../../../shared/contracts/terminal.js';
import { bwrapArgs } from '../sandbox/bwrapArgs.js';
import { defaultBwrapPath, probeSandbox } from '../sandbox/probeSandbox.js';
import { withSeccompFilter } from '../sandbox/seccompFilter.js';
import type { RepoStore } from '../store/repoStore.js';
import type { TaskStore } from '../store/taskStore.js';
import type { TerminalService } from '../terminal/terminalService.js';
import type { AgentTerminals } from './agentTerminals.js';
import { taskHiddenPaths, taskSandboxSpec } from './taskSandbox.js';
import { errorMessage } from '../util/errorMessage.js';

/**
 * The terminals of tasks: the interactive ones, a shell in the task's worktree inside the same
 * sandbox as its agent (default) or, when the user asks for it, their own unsandboxed shell;
 * and, listed first, the task's Agent terminal (agentTerminals.ts).
 */
export class TaskTerminals {
  /** Which task and kind each shell session belongs to. */
  private readonly sessions = new Map<string, { taskId: string; kind: ShellKind }>();

  constructor(
    private readonly deps: {
      service: TerminalService;
      tasks: TaskStore;
      /** For what the task's repo allowlists in its sandbox (host sockets, home paths). */
      repos: RepoStore;
      home: string;
      env: NodeJS.ProcessEnv;
      /** The tasks' Agent terminals; unset, none are listed. */
      agent?: AgentTerminals;
      /** A shell of `taskId` was opened: the host journals where it is recorded. */
      onDidOpen?: (taskId: string, sessionId: string, kind: ShellKind) => void;
    },
  ) {}

  async open(input: { taskId: string; kind: ShellKind; cols: number; rows: number }): Promise<{ ok: true; sessionId: string; snapshot: string } | Failure> {
    const task = this.deps.tasks.get(input.taskId);
    if (!task) return failure('not_found', `no task with id "${input.taskId}"`);
    if (!fs.existsSync(task.worktreePath)) return failure('invalid_state', `task ${task.id} has no worktree any more (${task.status})`);
    const command = await this.commandFor(task.id, input.kind);
    if (!command.ok) return command;
    const opened = await this.deps.service.open({ cwd: task.worktreePath, argv: command.argv, env: command.env, cols: input.cols, rows: input.rows });
    if (!opened.ok) return opened;
    this.sessions.set(opened.session.sessionId, { taskId: task.id, kind: input.kind });
    this.deps.onDidOpen?.(task.id, opened.session.sessionId, input.kind);
    return { ok: true, sessionId: opened.session.sessionId, snapshot: '' };
  }

  list(taskId: string): TerminalInfo[] {
    const agent = this.deps.agent?.info(taskId);
    const infos: TerminalInfo[] = agent ? [agent] : [];
    for (const [sessionId, owner] of this.sessions) {
      if (owner.taskId !== taskId) continue;
      const session = this.deps.service.get(sessionId);
      if (!session) continue;
      infos.push({
        sessionId,
        taskId,
        kind: owner.kind,
        cols: session.cols,
        rows: session.rows,
        isRunning: session.exit === null,
        exitCode: session.exit?.exitCode ?? null,
      });
    }
    return infos;
  }

  /** Closes every terminal of a task, its Agent terminal included (its worktree is about to go). */
  closeAllOf(taskId: string): void {
    this.deps.agent?.close(taskId);
    for (const [sessionId, owner] of this.sessions) {
      if (owner.taskId !== taskId) continue;
      this.deps.service.close(sessionId);
      this.sessions.delete(sessionId);
    }
  }

  close(sessionId: string): { ok: true } | Failure {
    if (this.deps.agent?.isAgentTerminal(sessionId)) return failure('invalid_input', 'the Agent terminal stays open as long as its task has a worktree');
    this.sessions.delete(sessionId);
    return this.deps.service.close(sessionId);
  }

  private async commandFor(taskId: string, kind: ShellKind): Promise<{ ok: true; argv: string[]; env: Record<string, string> } | Failure> {
    const task = this.deps.tasks.get(taskId);
    if (!task) return failure('not_found', `no task with id "${taskId}"`);
    const { env } = this.deps;
    if (kind === 'unsandboxed') {
      // The user's own shell, for their own use: their environment, no sandbox (the UI says so).
      const shell = env.SHELL && fs.existsSync(env.SHELL) ? env.SHELL : '/bin/bash';
      return { ok: true, argv: [shell, '-l'], env: definedOnly(env) };
    }
    if (task.policy.mode === 'full-access') {
      return failure('invalid_state', 'this task runs without a sandbox (full access); open an unsandboxed terminal instead');
    }
    const bwrapPath = env.FLOTILLA_BWRAP ?? defaultBwrapPath(env);
    const status = await probeSandbox({ bwrapPath });
    if (!status.isAvailable) return failure('sandbox_unavailable', status.reason ?? 'sandbox unavailable');
    try {
      const spec = await taskSandboxSpec(task, this.deps.home, this.deps.repos.get(task.repoId)?.settings);
      // The sandbox's --clearenv/--setenv decide the shell's environment, not this one.
      // HISTFILE=/dev/null: bash would save what the user typed (tokens included) raw in the
      // task's HOME under FLOTILLA_HOME (issue 12: secrets never reach the disk).
      const args = bwrapArgs(spec, 'HISTFILE=/dev/null exec /bin/bash -i', { hiddenPaths: taskHiddenPaths(this.deps.home, env), hostEnv: env, hasOwnTerminal: true });
      // The same seccomp filter as the agent's commands (no unix sockets, no io_uring), on fd 3.
      const launch = withSeccompFilter(spec, bwrapPath, args);
      return { ok: true, argv: [launch.file, ...launch.args], env: { PATH: env.PATH ?? '/usr/bin:/bin' } };
    } catch (error) {
      return failure('sandbox_unavailable', `the sandbox could not be set up: ${errorMessage(error)}`);
    }
  }
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
