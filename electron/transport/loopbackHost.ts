import fs from 'node:fs';
import type { Host } from '../core/hostTypes.js';
import { errorMessage } from '../core/util/errorMessage.js';
import type { DispatchLog } from './dispatch.js';
import { startServer, type RunningServer } from './httpServer.js';
import { claimServerFile, removeServerFile, writeServerFile } from './serverFile.js';

export interface LoopbackHostOptions {
  /** FLOTILLA_HOME: the data folder this host will own. */
  home: string;
  /** Called once the data folder is ours, never before: a second host must not touch the first one's tasks. */
  createHost: () => Promise<Host>;
  /** Address to bind: loopback unless the user asks otherwise. */
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** The renderer build the server also serves (a browser on this machine can open the board). */
  rendererDir: string;
  /** Default this process: the pid the claim names. */
  pid?: number;
  log?: DispatchLog;
}

export type LoopbackHostStart = { ok: true; host: Host; server: RunningServer; close(): Promise<void> } | { ok: false; message: string };

/**
 * One host per data folder, however it runs (`flotilla serve` or the desktop app): claims
 * `server.json` first (a second host on the same home stops here, with the holder's pid in
 * the message, before it opens the database), then creates the host, serves the contract on
 * loopback (token, Host/Origin checks, CSP) and writes the URL and token for the CLI.
 * `close` undoes it in reverse order. Never throws: a failure is a message for the user.
 */
export async function startLoopbackHost(opts: LoopbackHostOptions): Promise<LoopbackHostStart> {
  const { home } = opts;
  const pid = opts.pid ?? process.pid;
  try {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (error) {
    return { ok: false, message: `cannot create the data folder ${home}: ${errorMessage(error)}` };
  }
  const claim = claimServerFile(home, pid);
  if (!claim.ok) return claim;
  // Whatever ends the process from here on (a crash included), the file must not outlive it.
  const removeOnExit = () => removeServerFile(home, pid);
  process.on('exit', removeOnExit);
  const release = () => {
    removeServerFile(home, pid);
    process.off('exit', removeOnExit);
  };

  let host: Host;
  try {
    host = await opts.createHost();
  } catch (error) {
    release();
    return { ok: false, message: `the host did not start: ${errorMessage(error)}` };
  }

  let server: RunningServer;
  try {
    server = await startServer({ host, hostname: opts.hostname, port: opts.port, rendererDir: opts.rendererDir, ...(opts.log ? { log: opts.log } : {}) });
  } catch (error) {
    await host.dispose();
    release();
    return { ok: false, message: listenError(error, opts) };
  }

  try {
    writeServerFile(home, { url: server.url, port: server.port, token: server.token, pid });
  } catch (error) {
    await server.close();
    await host.dispose();
    release();
    return { ok: false, message: `cannot write server.json: ${errorMessage(error)}` };
  }

  let closing: Promise<void> | undefined;
  return {
    ok: true,
    host,
    server,
    close() {
      // Reverse order of start: forget server.json (no new clients), close the server, then the host.
      closing ??= (async () => {
        release();
        await server.close();
        await host.dispose();
      })();
      return closing;
    },
  };
}

function listenError(error: unknown, opts: { hostname: string; port: number }): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${opts.port} on ${opts.hostname} is already in use (try --port 0)`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${opts.hostname}: no such local address`;
  if (code === 'EACCES') return `not allowed to listen on port ${opts.port}`;
  return `cannot listen on ${opts.hostname}:${opts.port}: ${errorMessage(error)}`;
}
