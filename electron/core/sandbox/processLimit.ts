import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../util/errorMessage.js';
import { isWithin } from './writablePaths.js';

/**
 * How the number of processes (threads included) of one command is capped, so that a fork
 * bomb fills its own quota and not the machine's:
 *
 * - `cgroup`: a child cgroup of ours with `pids.max`, per command. Works for any uid when
 *   the pids controller is writable to us (root, or a delegated cgroup v2 subtree).
 * - `rlimit`: `ulimit -u` set inside the sandbox, after bwrap made its user namespace. Since
 *   Linux 5.14 RLIMIT_NPROC is counted per user namespace, so it caps that sandbox alone.
 *   Useless for uid 0 (the kernel exempts the root user, and inside bwrap's namespace the
 *   kernel still sees uid 0 whatever `--uid` says) and outside a user namespace (it would
 *   count all of the user's processes), hence bwrap only.
 * - `none`: neither is possible here; `reason` says why (wall time and output caps remain).
 */
export type ProcessLimiter =
  | { kind: 'cgroup'; version: 1 | 2; parentDir: string }
  | { kind: 'rlimit' }
  | { kind: 'none'; reason: string };

/** 1024 tasks: `make -j`, a test runner and a JVM fit; a fork bomb stops there (~0.5 GB of shells). */
export const DEFAULT_MAX_PROCESSES = 1024;

export interface ProbeProcessLimiterOptions {
  /** Default process.getuid(). */
  uid?: number;
  /** Default /proc/self. Tests point it at a fake to check the parsing. */
  procSelf?: string;
}

let cached: Promise<ProcessLimiter> | undefined;

/** The best limiter this host offers, probed once (a real cgroup join, not just a look at files). Never throws. */
export function probeProcessLimiter(opts: ProbeProcessLimiterOptions = {}): Promise<ProcessLimiter> {
  const isDefault = opts.uid === undefined && opts.procSelf === undefined;
  if (isDefault && cached) return cached;
  const pending = detect(opts);
  if (isDefault) cached = pending;
  return pending;
}

async function detect(opts: ProbeProcessLimiterOptions): Promise<ProcessLimiter> {
  const uid = opts.uid ?? process.getuid?.() ?? 0;
  const cgroupFailures: string[] = [];
  for (const candidate of pidsCgroupDirs(opts.procSelf ?? '/proc/self')) {
    const failure = await tryCgroup(candidate.dir);
    if (failure === null) {
      // In the background: the first command need not wait for another process's leftovers.
      void removeStaleCommandCgroups(candidate.dir);
      return { kind: 'cgroup', version: candidate.version, parentDir: candidate.dir };
    }
    cgroupFailures.push(`${candidate.dir}: ${failure}`);
  }
  if (uid !== 0) return { kind: 'rlimit' };
  const tried = cgroupFailures.length > 0 ? cgroupFailures.join('; ') : 'no cgroup hierarchy with the pids controller is mounted';
  return {
    kind: 'none',
    reason: `no process-count limit: running as root, where RLIMIT_NPROC does not apply, and no writable pids cgroup (${tried})`,
  };
}

interface CgroupCandidate {
  version: 1 | 2;
  /** Our own cgroup's directory in that hierarchy: command cgroups are made inside it. */
  dir: string;
}

/**
 * Directories of our own cgroup in every hierarchy that has the pids controller. v1 first: it
 * needs no delegation, and joining it costs no RCU grace period (see CommandCgroup.joinScript).
 */
export function pidsCgroupDirs(procSelf: string): CgroupCandidate[] {
  let mountinfo: string;
  let membership: string;
  try {
    mountinfo = fs.readFileSync(path.join(procSelf, 'mountinfo'), 'utf8');
    membership = fs.readFileSync(path.join(procSelf, 'cgroup'), 'utf8');
  } catch {
    return [];
  }
  // /proc/self/cgroup: `ID:controllers:/path`; the v2 line is `0::/path`.
  const ownPaths = new Map<string, string>();
  for (const line of membership.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (match) ownPaths.set(match[1] ?? '', match[2] ?? '');
  }
  const found: CgroupCandidate[] = [];
  for (const line of mountinfo.split('\n')) {
    // `id parent major:minor root mountpoint options… - fstype source superoptions`
    const [before, after] = line.split(' - ');
    if (before === undefined || after === undefined) continue;
    const fields = before.split(' ');
    const [fstype, , superOptions = ''] = after.split(' ');
    const mountRoot = unescapeMountinfo(fields[3] ?? '');
    const mountPoint = unescapeMountinfo(fields[4] ?? '');
    let version: 1 | 2;
    let ownPath: string | undefined;
    if (fstype === 'cgroup' && superOptions.split(',').includes('pids')) {
      version = 1;
      ownPath = [...ownPaths].find(([controllers]) => controllers.split(',').includes('pids'))?.[1];
    } else if (fstype === 'cgroup2') {
      version = 2;
      ownPath = ownPaths.get('');
    } else {
      continue;
    }
    if (ownPath === undefined || !isWithin(ownPath, mountRoot)) continue;
    const relative = path.relative(mountRoot, ownPath);
    found.push({ version, dir: path.join(mountPoint, relative) });
  }
  return found.sort((a, b) => a.version - b.version);
}

/** null when a child cgroup can be made, limited and joined here; else why not. */
async function tryCgroup(parentDir: string): Promise<string | null> {
  let group: CommandCgroup;
  try {
    group = await CommandCgroup.create(parentDir, 8);
  } catch (error) {
    return errorMessage(error);
  }
  try {
    const launch = group.wrap('/bin/sh', ['-c', 'exit 0']);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(launch.file, launch.args, { stdio: 'ignore', env: {} });
      child.on('error', () => resolve(null));
      child.on('close', (exitCode) => resolve(exitCode));
    });
    return code === 0 ? null : 'cannot move a process into it';
  } finally {
    await group.release();
  }
}

let sequence = 0;

/** `flotilla-<pid of the process that made it>-<sequence>-<random>`: see CommandCgroup.create. */
const COMMAND_CGROUP_NAME = /^flotilla-(\d+)-/;

/**
 * Removes command cgroups left by processes that are gone (a worker killed mid-command, a
 * host killed with -9), killing anything still inside: such commands have no owner left to
 * stop them. A cgroup whose maker still runs is never touched. Never throws.
 */
export async function removeStaleCommandCgroups(parentDir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(parentDir);
  } catch {
    return;
  }
  const stale = names.filter((name) => {
    const pid = Number(COMMAND_CGROUP_NAME.exec(name)?.[1]);
    return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
  });
  await Promise.all(stale.map((name) => CommandCgroup.at(path.join(parentDir, name)).release()));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One command's cgroup: made before the command, joined by the launcher before it execs
 * anything (so every descendant is counted from the first fork), removed afterwards.
 */
export class CommandCgroup {
  private constructor(
    readonly dir: string,
    /** cgroup v1: the launcher can join by moving its only thread (see joinScript). */
    private readonly hasTasksFile: boolean,
  ) {}

  /**
   * Throws when the cgroup cannot be made or limited (a probe said it could: a host problem).
   * Asynchronous, as every write here: cgroupfs writes can wait on kernel locks, and the host's
   * main thread makes the cgroups of setup scripts.
   */
  static async create(parentDir: string, maxProcesses: number): Promise<CommandCgroup> {
    sequence += 1;
    // The random part: a pid is reused, and a killed process leaves its cgroups behind (until
    // removeStaleCommandCgroups runs), so pid + sequence alone once collided (EEXIST).
    const dir = path.join(parentDir, `flotilla-${process.pid}-${sequence}-${crypto.randomBytes(4).toString('hex')}`);
    await fs.promises.mkdir(dir);
    try {
      if (!(await exists(path.join(dir, 'pids.max')))) {
        // cgroup v2: the parent must hand the pids controller down first.
        await fs.promises.writeFile(path.join(parentDir, 'cgroup.subtree_control'), '+pids');
      }
      await fs.promises.writeFile(path.join(dir, 'pids.max'), String(maxProcesses));
    } catch (error) {
      await fs.promises.rmdir(dir);
      throw error;
    }
    return new CommandCgroup(dir, await exists(path.join(dir, 'tasks')));
  }

  /** An existing command cgroup, to kill what is in it and remove it. */
  static at(dir: string): CommandCgroup {
    return new CommandCgroup(dir, fs.existsSync(path.join(dir, 'tasks')));
  }

  /**
   * Shell text that moves the shell running it into this cgroup, or exits 125 (having run
   * nothing) when it cannot. `dirRef` is how the script names `dir`, a quoted positional
   * parameter such as `"$0"` (never the path itself: it is not shell-quoted).
   *
   * cgroup v1: `echo 0 > tasks` moves the calling thread alone. For that one case the kernel
   * skips the write lock of the global cgroup_threadgroup_rwsem (cgroup_procs_write_start: the
   * current thread cannot exit or exec under it), and that percpu rwsem's writer waits for an
   * RCU grace period first (rcu_sync_enter → synchronize_rcu): the write() of `echo $$ >
   * cgroup.procs` took 9–16 ms here (2 cores, Linux 6.18, joins tens of ms apart as commands
   * are), that of `echo 0 > tasks` ~0.03 ms. A shell has one thread, so the whole process is
   * inside, and whatever it execs or forks afterwards starts inside.
   * cgroup v2 refuses to move a lone thread into a domain cgroup (EOPNOTSUPP), so there the
   * whole process moves, grace period included: 12–16 ms here on the v2 hierarchy. The kernel's
   * remedy is a host setting (cgroup2 mounted with `favordynmods`; not measured here).
   */
  joinScript(dirRef: string): string {
    return this.hasTasksFile ? `echo 0 > ${dirRef}/tasks || exit 125` : `echo $$ > ${dirRef}/cgroup.procs || exit 125`;
  }

  /**
   * The launcher: a shell that moves itself into the cgroup, then becomes `file args…`
   * (same pid, so a kill of the spawned process group still reaches it). Exits 125 without
   * running anything when the move fails. bwrap launches get the join from withSeccompFilter
   * instead, in the shell that opens the filter (one shell fewer per command).
   */
  wrap(file: string, args: readonly string[]): { file: string; args: string[] } {
    return { file: '/bin/sh', args: ['-c', `${this.joinScript('"$0"')}; exec "$@"`, this.dir, file, ...args] };
  }

  /** Processes still in the cgroup (after a command without a pid namespace: its daemons). */
  async pids(): Promise<number[]> {
    try {
      return (await fs.promises.readFile(path.join(this.dir, 'cgroup.procs'), 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map(Number);
    } catch {
      return [];
    }
  }

  /** SIGKILLs everything in the cgroup; whatever forks meanwhile is caught by the next rounds. Never throws. */
  async killAll(): Promise<void> {
    try {
      // cgroup v2 (Linux 5.14+): atomic, fork bombs included. 'r+': never create the file.
      await fs.promises.writeFile(path.join(this.dir, 'cgroup.kill'), '1', { flag: 'r+' });
      return;
    } catch {
      // No cgroup.kill (v1, older kernels) or refused: kill one by one.
    }
    for (let round = 0; round < 100; round++) {
      const pids = await this.pids();
      if (pids.length === 0) return;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  }

  /** Kills what is left and removes the cgroup; waits up to 1 s for the kernel to empty it. Never throws. */
  async release(): Promise<void> {
    const deadline = Date.now() + 1_000;
    while (Date.now() < deadline) {
      await this.killAll();
      try {
        await fs.promises.rmdir(this.dir);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        // EBUSY: exited processes are still being torn down, which takes a few ms after a
        // pid namespace ends; poll closely, since every command waits for this.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeMountinfo(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
