import fs from 'node:fs';
import { defaultHome, rendererDir } from '../core/util/paths.js';
import type { Host } from '../core/hostTypes.js';
import { EXIT_FAILURE, EXIT_OK } from './cliIo.js';
import type { CliIo, CreateHost } from './cliIo.js';
import { startServer } from './httpServer.js';
import type { RunningServer } from './httpServer.js';
import { claimServerFile, removeServerFile, serverFilePath, writeServerFile } from './serverFile.js';

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
 * `flotilla serve`: claims `server.json`, starts the host and its HTTP/WebSocket server,
 * prints the URL, and on SIGINT/SIGTERM tears down in reverse order.
 */
export async function runServe(opts: ServeOptions, io: CliIo): Promise<number> {
  const home = defaultHome(io.env);
  const pid = process.pid;
  const fail = (message: string) => {
    io.stderr(`flotilla: ${message}`);
    return EXIT_FAILURE;
  };

  try {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (error) {
    return fail(`cannot create the data folder ${home}: ${(error as Error).message}`);
  }
  const claim = claimServerFile(home, pid);
  if (!claim.ok) return fail(claim.message);
  // Whatever ends the process from here on (a crash included), the file must not outlive it.
  const removeOnExit = () => removeServerFile(home, pid);
  process.on('exit', removeOnExit);
  // Listen for signals already: a Ctrl-C during start-up then stops cleanly once started.
  const stop = io.stopSignal ? { done: io.stopSignal, dispose: () => {} } : untilSignal();
  const release = () => {
    removeServerFile(home, pid);
    process.off('exit', removeOnExit);
  };

  let host: Host;
  try {
    const createHost = io.createHost ?? (await loadCreateHost());
    host = await createHost({ home, env: io.env });
  } catch (error) {
    release();
    stop.dispose();
    return fail(`the host did not start: ${(error as Error).message}`);
  }

  let server: RunningServer;
  try {
    server = await startServer({ host, hostname: opts.hostname, port: opts.port, rendererDir: rendererDir() });
  } catch (error) {
    await host.dispose();
    release();
    stop.dispose();
    return fail(listenError(error, opts));
  }

  try {
    writeServerFile(home, { url: server.url, port: server.port, token: server.token, pid });
  } catch (error) {
    await server.close();
    await host.dispose();
    release();
    stop.dispose();
    return fail(`cannot write server.json: ${(error as Error).message}`);
  }
  io.stdout(listeningLine(server.url, { isTerminal: io.isStdoutTerminal === true, serverFile: serverFilePath(home) }));

  await stop.done;
  // Reverse order of start: forget server.json (no new clients), close the server, then the host.
  release();
  await server.close();
  await host.dispose();
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

function listenError(error: unknown, opts: ServeOptions): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${opts.port} on ${opts.hostname} is already in use (try --port 0)`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${opts.hostname}: no such local address`;
  if (code === 'EACCES') return `not allowed to listen on port ${opts.port}`;
  return `cannot listen on ${opts.hostname}:${opts.port}: ${(error as Error).message}`;
}
