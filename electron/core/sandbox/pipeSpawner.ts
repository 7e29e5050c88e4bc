import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { SandboxUnavailableError, type CommandLaunch, type CommandResult, type CommandSpawner, type SpawnOptions } from './commandSpawner.js';
import { OutputCollector } from './outputCollector.js';

/** 2 s: after bwrap exits its pipes close at once (the pid namespace is gone); this only guards against a leak. */
const PIPE_GRACE_MS = 2_000;

/**
 * Runs a command with its stdout and stderr on pipes, as a child of this process: the command
 * has no terminal (`test -t 1` fails, programs print without colour). Used where no pty host
 * is at hand: the setup script, the sandbox tests, a worker started without one.
 *
 * The command gets its own process group and is killed as a group on timeout, cap or abort.
 */
export const pipeSpawner: CommandSpawner = {
  hasOwnTerminal: false,
  spawn: spawnWithPipes,
};

function spawnWithPipes(launch: CommandLaunch, opts: SpawnOptions): Promise<CommandResult> {
  const startedAt = performance.now();
  const { cgroup } = opts;
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(launch.file, launch.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: launch.env, cwd: launch.cwd });
    let hasExited = false;
    let isKilled = false;
    let isSettled = false;

    const killGroup = () => {
      // After exit the pid may be reused: never signal a group we no longer own.
      if (hasExited || isKilled || child.pid === undefined) return;
      isKilled = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      // Without a pid namespace, processes that left the group (setsid) are still in the cgroup.
      void cgroup?.killAll();
    };
    const collector = new OutputCollector({
      maxChars: opts.maxOutputChars,
      onOutput: opts.onOutput,
      onCapReached: killGroup,
    });
    child.stdout.on('data', (data: Buffer) => collector.push('stdout', data));
    child.stderr.on('data', (data: Buffer) => collector.push('stderr', data));

    const timer = setTimeout(killGroup, opts.timeoutMs);
    opts.signal?.addEventListener('abort', killGroup, { once: true });
    let pipeGuard: NodeJS.Timeout | undefined;
    const cleanUp = () => {
      clearTimeout(timer);
      clearTimeout(pipeGuard);
      opts.signal?.removeEventListener('abort', killGroup);
    };

    child.on('exit', () => {
      hasExited = true;
      if (launch.killsLeftoversOnExit) {
        // Daemons die with their command, as they do in bwrap's pid namespace. The group id
        // cannot be reused while members remain, so this reaches only our own leftovers.
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // No leftovers in the group.
          }
        }
        void cgroup?.killAll();
      }
      pipeGuard = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, PIPE_GRACE_MS);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (isSettled) return;
      isSettled = true;
      cleanUp();
      // The probe passed a moment ago, so this is the sandbox vanishing (or the system out of processes).
      reject(error.code === 'ENOENT' && launch.missingReason !== null ? new SandboxUnavailableError(launch.missingReason) : error);
    });
    child.on('close', (code) => {
      if (isSettled) return;
      isSettled = true;
      cleanUp();
      collector.end();
      resolve({
        exitCode: isKilled ? null : code,
        isKilled,
        output: collector.output,
        isTruncated: collector.isTruncated,
        durationMs: Math.round(performance.now() - startedAt),
      });
    });
  });
}
