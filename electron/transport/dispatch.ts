import type { z } from 'zod';
import { isMethodName, methods } from '../../shared/contract.js';
import type { Handlers, MethodName, MethodOutput, ParsedInput } from '../../shared/contract.js';

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
 * Calls one contract method for an untrusted caller: checks the name, parses the input with
 * the contract's schema, runs the handler. Shared by HTTP, WebSocket and Electron IPC so all
 * three refuse the same things in the same words.
 */
export async function invokeMethod(
  handlers: Handlers,
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
    const output = await callHandler(handlers, method, parsed.data as ParsedInput<typeof method>);
    return { ok: true, output };
  } catch (error) {
    // A throw is a bug in the host, never an expected failure: log it whole, answer briefly.
    log(`flotilla: ${method} threw`, error);
    return { ok: false, status: 500, message: `internal error: ${errorMessage(error)}` };
  }
}

function callHandler<M extends MethodName>(handlers: Handlers, method: M, input: ParsedInput<M>): Promise<MethodOutput<M>> {
  return handlers[method](input);
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
