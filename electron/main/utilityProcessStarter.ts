import type { ForkOptions } from 'electron';
import { ExitReport, lowerPriority, type ChildConnection, type StartChild } from '../core/util/childConnection.js';
import { tailStderr } from '../core/util/stderrTail.js';

/** The part of Electron's `utilityProcess` module the app uses (a fake one in tests). */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityChild;
}

/** The part of Electron's UtilityProcess the app uses. */
export interface UtilityChild {
  readonly pid: number | undefined;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

/**
 * The host's helper processes (the pty host, each agent worker) as Electron utility processes:
 * Node run by Electron's own helper binary, so nothing needs ELECTRON_RUN_AS_NODE (a fuse the
 * packaged app turns off), and Chromium's process model owns them (they die with the app).
 * Same messages as a Node child: `postMessage` structured-clones, as fork's 'advanced'
 * serialization does, and the helper answers through `process.parentPort`.
 */
export function utilityProcessStarter(utilityProcess: UtilityProcessModule): StartChild {
  return (spec) => {
    const child = utilityProcess.fork(spec.script, [], {
      env: spec.env,
      // The app's own flags (inspector, Chromium switches) must not reach the helper.
      execArgv: [],
      // stdin must be 'ignore' for a utility process; stderr explains a crash.
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: `Flotilla ${spec.name}`,
    });
    const exit = new ExitReport();
    const stderr = tailStderr(child);
    let messageListener: (message: unknown) => void = () => {};
    let pid: number | undefined = child.pid;
    let wasKilled = false;

    child.on('spawn', () => {
      pid = child.pid;
      if (spec.niceness !== undefined) lowerPriority(pid, spec.niceness);
    });
    child.on('message', (message: unknown) => messageListener(message));
    child.on('exit', (code) => {
      // Electron reports a code only; a kill we asked for reads better as such.
      exit.report(stderr.explain(wasKilled ? 'killed' : `exited with code ${code}`));
    });

    const connection: ChildConnection = {
      get pid() {
        return pid;
      },
      get isConnected() {
        return !exit.hasEnded && !wasKilled;
      },
      send(message) {
        if (exit.hasEnded) return;
        try {
          child.postMessage(message);
        } catch {
          // Already gone; 'exit' reports it.
        }
      },
      onMessage(listener) {
        messageListener = listener;
      },
      onExit: (listener) => exit.listen(listener),
      kill() {
        if (exit.hasEnded) return;
        wasKilled = true;
        // SIGKILL where we know the pid: a stuck helper may ignore utilityProcess.kill()'s SIGTERM.
        if (pid !== undefined && process.platform !== 'win32') {
          try {
            process.kill(pid, 'SIGKILL');
            return;
          } catch {
            // Gone already, or not ours: fall back to Electron's own kill.
          }
        }
        child.kill();
      },
    };
    return connection;
  };
}
