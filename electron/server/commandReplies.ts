import type { Failure } from '../../shared/contract.js';
import { inertLine } from '../../shared/model/inertText.js';
import { indentContinuation } from './cliFormat.js';
import { EXIT_FAILURE, EXIT_OK } from './cliIo.js';
import type { CommandContext } from './clientCommands.js';
import type { CallResult } from './hostClient.js';

/**
 * What a client command prints for a reply, and its exit code: the output (human or --json),
 * a call that broke, or a failure the host expected.
 */

/**
 * The reply ladder of every command: a call that broke prints `flotilla: <message>`, a failure the
 * host expected (`{ ok: false, kind }`) prints as `expectedFailure`, and anything else is the
 * output, for `onOk`.
 */
export async function replied<T>(
  ctx: CommandContext,
  call: Promise<CallResult<T>>,
  onOk: (output: Exclude<T, Failure>) => number | Promise<number>,
): Promise<number> {
  const reply = await call;
  if (!reply.ok) return callFailed(ctx, reply.message);
  const output = reply.value;
  if (isFailure(output)) return expectedFailure(ctx, output);
  // Not a Failure (just checked): what remains of T.
  return onOk(output as Exclude<T, Failure>);
}

export function printed(ctx: CommandContext, json: unknown, human: string): number {
  ctx.io.stdout(ctx.isJson ? JSON.stringify(json, null, 2) : human);
  return EXIT_OK;
}

/** `flotilla: <message>`; a message quoting git over several lines goes on indented. */
export function callFailed(ctx: CommandContext, message: string): number {
  ctx.io.stderr(indentContinuation(`flotilla: ${message}`));
  return EXIT_FAILURE;
}

/** A failure the host expected (`{ ok: false, kind }`): JSON on stdout with --json, one line on stderr always. */
export function expectedFailure(ctx: CommandContext, result: Failure): number {
  if (ctx.isJson) ctx.io.stdout(JSON.stringify(result, null, 2));
  // File names are the agent's: one line each, so a name cannot start a line of its own.
  const files = result.files && result.files.length > 0 ? ` (${result.files.map(inertLine).join(', ')})` : '';
  ctx.io.stderr(indentContinuation(`flotilla: ${result.message}${files}`));
  return EXIT_FAILURE;
}

/** Outputs of methods that can fail as expected are `{ ok: true, … } | Failure`; the others have no `ok`. */
function isFailure(output: unknown): output is Failure {
  return typeof output === 'object' && output !== null && 'ok' in output && output.ok === false;
}
