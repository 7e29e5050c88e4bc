import { defaultHome, rendererDir } from '../core/util/paths.js';
import { startLoopbackHost } from '../transport/loopbackHost.js';
import { serverFilePath } from '../transport/serverFile.js';
import { EXIT_FAILURE, EXIT_OK } from './cliIo.js';
import type { CliIo, CreateHost } from './cliIo.js';

export interface ServeOptions {
  port: number;
  hostname: string;
}

/**
 * 2 s: how long shutdown may take after the host is disposed before the process is ended
 * anyway; a stray timer or socket in a dependency must not keep a stopped server alive.
 */
const EXIT_GRACE_MS = 2000;

/**
 * `flotilla serve`: claims `server.json`, starts the host and its HTTP/WebSocket server (all
 * in startLoopbackHost, shared with the desktop app), prints the URL, and on SIGINT/SIGTERM
 * tears down in reverse order.
 */
export async function runServe(opts: ServeOptions, io: CliIo): Promise<number> {
  const home = defaultHome(io.env);
  // Listen for signals already: a Ctrl-C during start-up then stops cleanly once started.
  const stop = io.stopSignal ? { done: io.stopSignal, dispose: () => {} } : untilSignal();
  const started = await startLoopbackHost({
    home,
    hostname: opts.hostname,
    port: opts.port,
    rendererDir: rendererDir(),
    createHost: async () => {
      const createHost = io.createHost ?? (await loadCreateHost());
      return createHost({ home, env: io.env });
    },
  });
  if (!started.ok) {
    stop.dispose();
    io.stderr(`flotilla: ${started.message}`);
    return EXIT_FAILURE;
  }
  io.stdout(listeningLine(started.server.url, { isTerminal: io.isStdoutTerminal === true, serverFile: serverFilePath(home) }));

  await stop.done;
  await started.close();
  stop.dispose();
  if (!io.stopSignal) setTimeout(() => process.exit(EXIT_OK), EXIT_GRACE_MS).unref();
  return EXIT_OK;
}

/**
 * The line `serve` prints once it listens. The sign-in URL carries the token, which is as good
 * as the user's own session: it goes to a terminal only (a person reads it there), never into
 * a log file or a pipe, where anything that can read the file (a task with network, say) could
 * take it. Elsewhere the line names the address and where the sign-in URL is kept: server.json,
 * mode 0600, in the data folder every sandbox hides.
 */
export function listeningLine(signInUrl: string, where: { isTerminal: boolean; serverFile: string }): string {
  if (where.isTerminal) return `Flotilla listening on ${signInUrl}`;
  const address = new URL(signInUrl);
  address.search = '';
  return `Flotilla listening on ${address.href} (open the sign-in URL, with its token, from ${where.serverFile})`;
}

/** Loaded on demand: client commands must not pay for SQLite, git and the agent runtime. */
async function loadCreateHost(): Promise<CreateHost> {
  const module = await import('../core/host.js');
  return module.createHost;
}

/** The first SIGINT/SIGTERM starts a clean shutdown; a second one ends the process at once. */
function untilSignal(): { done: Promise<void>; dispose(): void } {
  let onFirst: () => void = () => {};
  const onSecond = () => process.exit(130);
  const done = new Promise<void>((resolve) => {
    onFirst = () => {
      process.off('SIGINT', onFirst);
      process.off('SIGTERM', onFirst);
      process.on('SIGINT', onSecond);
      process.on('SIGTERM', onSecond);
      resolve();
    };
    process.on('SIGINT', onFirst);
    process.on('SIGTERM', onFirst);
  });
  return {
    done,
    dispose() {
      process.off('SIGINT', onFirst);
      process.off('SIGTERM', onFirst);
      process.off('SIGINT', onSecond);
      process.off('SIGTERM', onSecond);
    },
  };
}
