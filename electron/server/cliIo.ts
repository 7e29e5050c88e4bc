import type { Host } from '../core/hostTypes.js';

export type CreateHost = (opts: { home: string; env: NodeJS.ProcessEnv }) => Promise<Host>;

/** Where the CLI reads and writes; tests pass their own to run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The host factory for `serve`; the real one is loaded only when `serve` runs. */
  createHost?: CreateHost;
  /** Resolves when `serve` should shut down; by default the first SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Exit codes: 2 for a command line we cannot understand, 1 for anything that failed. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
