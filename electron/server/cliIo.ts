import type { Host } from '../core/hostTypes.js';
import { inertText } from '../../shared/model/inertText.js';

export type CreateHost = (opts: { home: string; env: NodeJS.ProcessEnv }) => Promise<Host>;

/** Where the CLI reads and writes; tests pass their own to run commands in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Whether stdout is a terminal. Only `task diff` asks (see `stdoutExact`); unset counts as
   * a terminal, so a caller that does not know gets the safe side.
   */
  isStdoutTerminal?: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** All of standard input, for secrets that must not be on the command line (`--api-key-stdin`). */
  readStdin?: () => Promise<string>;
  /** The host factory for `serve`; the real one is loaded only when `serve` runs. */
  createHost?: CreateHost;
  /** Resolves when `serve` should shut down; by default the first SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    isStdoutTerminal: process.stdout.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** What commands write through: every byte they print has been made inert (see `inertIo`). */
export interface CommandIo extends CliIo {
  /**
   * For output that is data, not a message: a patch that `git apply` must get byte for byte
   * when it goes to a file or a pipe. On a terminal (or when unknown) it is made inert too.
   */
  stdoutExact(text: string): void;
}

/**
 * The CLI's one output sink: everything a command prints, human text or `--json`, passes
 * `inertText`, so text the model controls (messages, commands, output, titles, file names,
 * reasons quoting git) cannot retitle the terminal, erase or overwrite lines, or reorder what
 * the user reads. `\uXXXX` keeps JSON valid and decoding to the same text.
 */
export function inertIo(io: CliIo): CommandIo {
  return {
    ...io,
    stdout: (text) => io.stdout(inertText(text)),
    stderr: (text) => io.stderr(inertText(text)),
    stdoutExact: (text) => io.stdout(io.isStdoutTerminal === false ? text : inertText(text)),
  };
}

/** Exit codes: 2 for a command line we cannot understand, 1 for anything that failed. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
