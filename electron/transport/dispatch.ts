import type { z } from 'zod';
import { failure, isConnectionMethod, isMethodName, methods } from '../../shared/contract.js';
import type { ConnectionHandlers, ConnectionMethodName, Handlers, MethodName, MethodOutput, ParsedInput } from '../../shared/contract.js';

type AnyHandlers = { [M in MethodName]?: (input: ParsedInput<M>) => Promise<MethodOutput<M>> };

/**
 * What a transport gets back from one call. Expected failures (`{ ok: false, kind }` from a
 * handler) are ordinary outputs here; `ok: false` means the call itself was refused or broke.
 */
export type DispatchResult =
  | { ok: true; output: unknown }
  | { ok: false; status: 400 | 404 | 500; message: string };

export type DispatchLog = (message: string, error: unknown) => void;

const logToStderr: DispatchLog = (message, error) => console.error(message, error);

/**
 * What a transport answers: the host's table, and the per-connection methods when it has
 * connections (WebSocket, Electron IPC: see `handlersFor`). Plain HTTP has none.
 */
export type CallHandlers = Handlers & Partial<ConnectionHandlers>;

/** The answer to a per-connection method over a transport without connections (plain HTTP). */
const WITHOUT_CONNECTION: Record<ConnectionMethodName, string> = {
  'tasks.watch': 'watch tasks over the WebSocket or IPC channel',
  'terminal.attach': 'attach to a terminal over the WebSocket or IPC channel',
};

/**
 * Calls one contract method for an untrusted caller: checks the name, parses the input with
 * the contract's schema, runs the handler. Shared by HTTP, WebSocket and Electron IPC so all
 * three refuse the same things in the same words.
 */
export async function invokeMethod(
  handlers: CallHandlers,
  method: unknown,
  input: unknown,
  log: DispatchLog = logToStderr,
): Promise<DispatchResult> {
  if (!isMethodName(method)) {
    return { ok: false, status: 404, message: `unknown method: ${describeName(method)}` };
  }
  // A call with no argument at all means "no options": `{}` is what the schemas expect.
  const parsed = methods[method].input.safeParse(input === undefined ? {} : input);
  if (!parsed.success) {
    return { ok: false, status: 400, message: describeIssue(parsed.error) };
  }
  try {
    const output = await (callHandler(handlers, method, parsed.data as ParsedInput<typeof method>) ?? withoutConnection(method));
    return { ok: true, output };
  } catch (error) {
    // A throw is a bug in the host, never an expected failure: log it whole, answer briefly.
    log(`flotilla: ${method} threw`, error);
    return { ok: false, status: 500, message: `internal error: ${errorMessage(error)}` };
  }
}

/** The handler's promise; undefined when the table has none (a per-connection method over HTTP). */
function callHandler<M extends MethodName>(handlers: AnyHandlers, method: M, input: ParsedInput<M>): Promise<MethodOutput<M>> | undefined {
  return handlers[method]?.(input);
}

async function withoutConnection(method: MethodName): Promise<MethodOutput<ConnectionMethodName>> {
  // The types make a host method without a handler impossible; should one slip through, it is a bug (a 500).
  if (!isConnectionMethod(method)) throw new Error(`no handler for ${method}`);
  return failure('invalid_state', WITHOUT_CONNECTION[method]);
}

/** Zod's first issue, in plain words: `invalid input: prompt: the prompt is empty`. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const message = issue.message.replace(/^Invalid input: /, '');
  const where = issue.path.map(String).join('.');
  return where ? `invalid input: ${where}: ${message}` : `invalid input: ${message}`;
}

function describeName(name: unknown): string {
  if (typeof name !== 'string') return `(${typeof name})`;
  return name.length > 80 ? `${JSON.stringify(name.slice(0, 80))}…` : JSON.stringify(name);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
