import type { Task } from '../../shared/model/task.js';
import type { HostApi } from './hostApi.js';
import { processTree, type TreeProcess } from './processTree.js';
import { waitUntil } from './stats.js';

/** The host's process tree, sorted into what the fleet benchmark counts and what it does not. */
export interface AgentProcesses {
  host: TreeProcess | null;
  /** One per running agent: the forked agentWorker.js (and anything it runs itself, e.g. a setup script's pipes). */
  workers: { worker: TreeProcess; sandboxed: TreeProcess[] }[];
  /** The pty host: every agent command and terminal runs on a pty there (Flotilla's own memory). */
  ptyHost: TreeProcess | null;
  /** The pty host's children and their descendants: the agents' sandboxed commands (bwrap and what runs in it). */
  commands: TreeProcess[];
  /** Other children of the host (git calls) and their descendants. */
  others: TreeProcess[];
}

export interface RssKb {
  host: number;
  workers: number;
  /** bwrap and the commands inside it: the workload's memory, not Flotilla's. */
  sandboxed: number;
  ptyHost: number;
  others: number;
}

const WORKER_SCRIPT = 'agentWorker.js';
const PTY_HOST_SCRIPT = 'ptyHost.js';

export function agentProcesses(hostPid: number): AgentProcesses {
  const tree = processTree(hostPid);
  const host = tree.find((p) => p.depth === 0) ?? null;
  const byParent = new Map<number, TreeProcess[]>();
  for (const p of tree) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const descendantsOf = (pid: number): TreeProcess[] =>
    (byParent.get(pid) ?? []).flatMap((child) => [child, ...descendantsOf(child.pid)]);

  const workers: AgentProcesses['workers'] = [];
  const others: TreeProcess[] = [];
  let ptyHost: TreeProcess | null = null;
  let commands: TreeProcess[] = [];
  for (const child of tree.filter((p) => p.depth === 1)) {
    if (child.command.includes(WORKER_SCRIPT)) workers.push({ worker: child, sandboxed: descendantsOf(child.pid) });
    else if (child.command.includes(PTY_HOST_SCRIPT)) {
      ptyHost = child;
      commands = descendantsOf(child.pid);
    } else others.push(child, ...descendantsOf(child.pid));
  }
  return { host, workers, ptyHost, commands, others };
}

export function rssKb(processes: AgentProcesses): RssKb {
  const sum = (list: TreeProcess[]) => list.reduce((total, p) => total + p.rssKb, 0);
  return {
    host: processes.host?.rssKb ?? 0,
    workers: sum(processes.workers.map((w) => w.worker)),
    sandboxed: sum([...processes.workers.flatMap((w) => w.sandboxed), ...processes.commands]),
    ptyHost: processes.ptyHost?.rssKb ?? 0,
    others: sum(processes.others),
  };
}

/**
 * Creates `count` tasks through the API, spread over `repoIds` in turn. One lane per repo runs
 * in parallel (the host serializes worktree creation per repo anyway); results in index order.
 */
export async function createTasks(
  api: HostApi,
  repoIds: readonly string[],
  count: number,
  prompt: (index: number) => string,
): Promise<Task[]> {
  if (repoIds.length === 0) throw new Error('createTasks: no repos');
  const tasks: Task[] = new Array<Task>(count);
  await Promise.all(
    repoIds.map(async (repo, lane) => {
      for (let i = lane; i < count; i += repoIds.length) {
        const created = await api.invokeOk('tasks.create', { repo, prompt: prompt(i), title: `bench ${i + 1}` });
        tasks[i] = created.task;
      }
    }),
  );
  return tasks;
}

/** Agent commands running now: the pty host's children (each command has its own pty and process). */
export function runningCommands(processes: AgentProcesses): number {
  const ptyHostPid = processes.ptyHost?.pid;
  return ptyHostPid === undefined ? 0 : processes.commands.filter((p) => p.ppid === ptyHostPid).length;
}

/**
 * Waits until `count` agent workers each have a sandboxed command running (the scripted
 * scenario's first shell step): then every agent is past its start-up and in its turn.
 * Fails fast when one of `tasks` has left `queued`/`running` (it failed, or ended early).
 */
export async function waitForRunningAgents(
  api: HostApi,
  hostPid: number,
  tasks: readonly Task[],
  timeoutMs: number,
): Promise<AgentProcesses> {
  const ids = new Set(tasks.map((t) => t.id));
  let polls = 0;
  let busy = 0;
  return waitUntil(
    `${tasks.length} agents running a command`,
    async () => {
      const processes = agentProcesses(hostPid);
      // One pty per running command, each the pty host's child (bwrap, or its cgroup wrapper).
      busy = runningCommands(processes);
      if (busy >= tasks.length) return processes;
      // Task statuses every 2 s only: 32 tasks make a big answer.
      if (polls++ % 8 === 0) {
        const { tasks: all } = await api.invoke('tasks.list', {});
        const ended = all.filter((t) => ids.has(t.id) && t.status !== 'queued' && t.status !== 'running');
        if (ended.length > 0) {
          const first = ended[0];
          throw new Error(`${ended.length} task(s) ended before all were running; e.g. ${first?.id} is ${first?.status}: ${first?.statusReason ?? ''}`);
        }
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 250, describe: () => `${busy} of ${tasks.length} running a command` },
  );
}
