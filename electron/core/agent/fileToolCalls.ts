import type { AgentLoopDeps, LoopEnd } from './agentLoop.js';
import { runApplyPatch, runReadFile } from './editTools.js';
import { parsePatch } from './patchFormat.js';
import type { WorkerStartConfig } from './workerProtocol.js';

/**
 * The file tools as the user sees them: each call is journalled like a command (started, its
 * output, finished), so the transcript, the Agent terminal's log and a replay show every edit
 * and read. An edit goes through the command gate first: a read-only task refuses it, and an
 * `untrusted` one asks the user, with the files it would change.
 */

export async function runPatchCall(
  callId: string,
  patchText: string,
  config: WorkerStartConfig,
  deps: AgentLoopDeps,
  answer: (output: string) => void,
): Promise<LoopEnd | null> {
  const parsed = parsePatch(patchText);
  const files = parsed.ok ? parsed.operations.map((operation) => operation.path).join(', ') : 'an invalid patch';
  const command = `apply_patch ${files}`;
  deps.emit({ type: 'command_started', callId, command });
  const started = Date.now();
  const finish = (output: string, exitCode: number | null) => {
    deps.emit({ type: 'command_output', callId, chunk: `${output}\n` });
    deps.emit({ type: 'command_finished', callId, exitCode, durationMs: Date.now() - started, isKilled: false });
    answer(output);
  };
  const verdict = await deps.gate.check(callId, command, { network: false, writablePaths: [], justification: '' });
  if (deps.signal.aborted) return { type: 'stopped' };
  if (verdict.kind === 'deny') {
    finish(`${verdict.message}\n[not applied]`, null);
    return null;
  }
  if (verdict.spec.mode === 'read-only') {
    finish('not applied: this task is read-only (its sandbox lets it read the worktree, not change it)', null);
    return null;
  }
  const result = await runApplyPatch({ worktreePath: config.worktreePath, readOnlyPaths: verdict.spec.readOnlyPaths }, patchText);
  finish(result.output, result.ok ? 0 : 1);
  return null;
}

export async function runReadFileCall(
  callId: string,
  request: { path: string; startLine: number; endLine: number | null },
  config: WorkerStartConfig,
  deps: AgentLoopDeps,
  answer: (output: string) => void,
): Promise<LoopEnd | null> {
  const range = request.endLine === null ? (request.startLine > 1 ? `:${request.startLine}-` : '') : `:${request.startLine}-${request.endLine}`;
  deps.emit({ type: 'command_started', callId, command: `read_file ${request.path}${range}` });
  const started = Date.now();
  const result = await runReadFile({ worktreePath: config.worktreePath, readOnlyPaths: config.sandbox.readOnlyPaths }, request);
  // The transcript says what was read, not the whole file again.
  const shown = result.ok ? `${result.output.split('\n').length} lines read\n` : `${result.output}\n`;
  deps.emit({ type: 'command_output', callId, chunk: shown });
  deps.emit({ type: 'command_finished', callId, exitCode: result.ok ? 0 : 1, durationMs: Date.now() - started, isKilled: false });
  answer(result.output);
  return null;
}
