import type OpenAI from 'openai';
import type { ResponseFunctionToolCall, ResponseInputItem, ResponseOutputItem } from 'openai/resources/responses/responses';
import { SandboxUnavailableError } from '../sandbox/runSandboxed.js';
import { describeSandboxDenial } from '../sandbox/sandboxDenial.js';
import type { SandboxSpec } from '../sandbox/sandboxSpec.js';
import type { CommandGate } from './commandGate.js';
import { oneLine } from './apiErrorReason.js';
import { callModel } from './modelCall.js';
import { OutputBatcher } from './outputBatcher.js';
import { formatShellResult, parseShellCall, type ShellOutcome } from './shellTool.js';
import { APPLY_PATCH_TOOL, parseApplyPatchCall, parseReadFileCall, patchFromShellCommand, READ_FILE_TOOL } from './editTools.js';
import { runPatchCall, runReadFileCall } from './fileToolCalls.js';
import { parsePlanCall, UPDATE_PLAN_TOOL } from './planTool.js';
import type { WorkerEvent, WorkerStartConfig, WorkerTurnEnd } from './workerProtocol.js';

/** Runs one command for the agent (in production: runSandboxed with the spec the gate chose). */
export type CommandRunner = (
  command: string,
  opts: {
    onOutput: (chunk: string) => void;
    signal: AbortSignal;
    spec: SandboxSpec;
    /** The function call it answers (the Agent terminal files the command's pty under it). */
    callId: string;
  },
) => Promise<ShellOutcome & { durationMs: number; interruption?: string }>;

export interface AgentLoopDeps {
  client: OpenAI;
  runCommand: CommandRunner;
  /** Decides per command: run (with which spec), wait for the user, or refuse. */
  gate: CommandGate;
  emit: (event: WorkerEvent) => void;
  instructions: string;
  /** Aborted when the host stops the turn: cuts the model call and kills the command. */
  signal: AbortSignal;
  /** See ModelCallOptions.streamIdleMs (ms). */
  streamIdleMs: number;
}

export type LoopEnd = WorkerTurnEnd | { type: 'stopped' };

/**
 * One agent turn: call the model, run the `shell` calls it asks for, feed results back, until
 * it answers without a call or `maxSteps` model calls were made. The history it returns is
 * always consistent (every function_call has its output), so the next turn can resend it.
 */
export async function runAgentLoop(config: WorkerStartConfig, deps: AgentLoopDeps): Promise<LoopEnd> {
  // The history is ours from earlier turns (the same shapes this loop appends).
  const history: ResponseInputItem[] = [...(config.history as ResponseInputItem[]), { role: 'user', content: config.message }];
  const usage = { inputTokens: 0, outputTokens: 0 };

  const maxSteps = Math.max(1, config.maxSteps);
  for (let step = 0; step < maxSteps; step += 1) {
    const reply = await callModel({
      client: deps.client,
      ...(config.api ? { api: config.api } : {}),
      model: config.model,
      instructions: deps.instructions,
      input: history,
      signal: deps.signal,
      streamIdleMs: deps.streamIdleMs,
      ...(config.textFormat ? { textFormat: config.textFormat } : {}),
    });
    if (reply.kind === 'stopped') return { type: 'stopped' };
    if (reply.kind === 'failed') return { type: 'turn_failed', kind: 'api', reason: reply.reason, history };
    usage.inputTokens += reply.usage.inputTokens;
    usage.outputTokens += reply.usage.outputTokens;

    const calls: ResponseFunctionToolCall[] = [];
    for (const item of reply.output) {
      if (item.type === 'message') {
        const text = messageText(item);
        if (text.trim() !== '') {
          deps.emit({ type: 'agent_message', text });
          history.push({ role: 'assistant', content: text });
        }
      } else if (item.type === 'function_call') {
        // Without ids: with store=false the server keeps no items an id could refer to.
        history.push({ type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments });
        calls.push(item);
      }
      // Reasoning items are dropped: without store they are only valid with encrypted content.
    }
    if (calls.length === 0) return { type: 'turn_done', history, usage };

    for (const [index, call] of calls.entries()) {
      const end = await runCall(call, config, deps, history);
      if (!end) continue;
      // Keep the history consistent: calls after the one that ended the turn are answered too.
      for (const skipped of calls.slice(index + 1)) {
        history.push({ type: 'function_call_output', call_id: skipped.call_id, output: '[not run: the turn ended]' });
      }
      return end;
    }
  }

  deps.emit({
    type: 'agent_message',
    text: `Stopped this turn after ${maxSteps} model calls (the per-turn limit). Send a follow-up to continue.`,
  });
  return { type: 'turn_done', history, usage };
}

/** Runs one function call and appends its output; returns how the turn ends if it must end. */
async function runCall(
  call: ResponseFunctionToolCall,
  config: WorkerStartConfig,
  deps: AgentLoopDeps,
  history: ResponseInputItem[],
): Promise<LoopEnd | null> {
  const answer = (output: string) => history.push({ type: 'function_call_output', call_id: call.call_id, output });
  if (call.name === APPLY_PATCH_TOOL.name) {
    const patch = parseApplyPatchCall(call.arguments);
    if (!patch.isValid) {
      answer(patch.error);
      return null;
    }
    return runPatchCall(call.call_id, patch.value, config, deps, answer);
  }
  if (call.name === UPDATE_PLAN_TOOL.name) {
    const plan = parsePlanCall(call.arguments);
    if (plan.isValid) deps.emit({ type: 'plan_updated', plan: plan.value });
    answer(plan.isValid ? 'Plan updated.' : plan.error);
    return null;
  }
  if (call.name === READ_FILE_TOOL.name) {
    const request = parseReadFileCall(call.arguments);
    if (!request.isValid) {
      answer(request.error);
      return null;
    }
    return runReadFileCall(call.call_id, request.value, config, deps, answer);
  }
  const parsed = parseShellCall(call.name, call.arguments);
  if (!parsed.isValid) {
    answer(parsed.error);
    return null;
  }
  // `apply_patch <<'EOF' … EOF` through the shell (as Codex's models often write it): applied
  // as the tool, since the sandbox has no apply_patch program.
  const shellPatch = patchFromShellCommand(parsed.command);
  if (shellPatch !== null && !parsed.network && parsed.writablePaths.length === 0) return runPatchCall(call.call_id, shellPatch, config, deps, answer);

  const callId = call.call_id;
  // Intent before action: the host journals the start before anything runs (or waits for approval).
  deps.emit({ type: 'command_started', callId, command: parsed.command });
  const batcher = new OutputBatcher((chunk) => deps.emit({ type: 'command_output', callId, chunk }));
  const started = Date.now();
  try {
    const verdict = await deps.gate.check(callId, parsed.command, parsed);
    if (deps.signal.aborted) return { type: 'stopped' };
    if (verdict.kind === 'deny') {
      deps.emit({ type: 'command_output', callId, chunk: `${verdict.message}\n` });
      deps.emit({ type: 'command_finished', callId, exitCode: null, durationMs: Date.now() - started, isKilled: false });
      answer(`${verdict.message}\n[not run]`);
      return null;
    }
    const result = await deps.runCommand(parsed.command, { onOutput: (chunk) => batcher.push(chunk), signal: deps.signal, spec: verdict.spec, callId });
    batcher.flush();
    const killReason = deps.signal.aborted
      ? 'the task was stopped'
      : result.interruption !== undefined
        ? result.interruption
        : result.isTruncated
          ? 'too much output (the sandbox output limit)'
          : `no result within ${seconds(config.commandTimeoutMs)} s (the command time limit)`;
    // A failure the sandbox caused is named as such, so the model does not chase a mystery.
    const denial = result.exitCode !== 0 ? describeSandboxDenial({ ...result, durationMs: result.durationMs }, verdict.spec, { approval: config.approval }) : null;
    answer(formatShellResult(result, killReason) + (denial ? `\n${denial}` : ''));
    deps.emit({ type: 'command_finished', callId, exitCode: result.exitCode, durationMs: result.durationMs, isKilled: result.isKilled });
    return deps.signal.aborted ? { type: 'stopped' } : null;
  } catch (error) {
    batcher.flush();
    if (deps.signal.aborted) return { type: 'stopped' };
    const isSandbox = error instanceof SandboxUnavailableError;
    const reason = oneLine(isSandbox ? error.message : `the agent could not run a command: ${String(error)}`);
    // The command never ran: say so in its output, and close it so it is not "outcome unknown".
    deps.emit({ type: 'command_output', callId, chunk: `${reason}\n` });
    deps.emit({ type: 'command_finished', callId, exitCode: null, durationMs: Date.now() - started, isKilled: false });
    answer(`${reason}\n[not run]`);
    return { type: 'turn_failed', kind: isSandbox ? 'sandbox_unavailable' : 'internal', reason, history };
  }
}

/** 500 → "0.5", 120000 → "120". */
function seconds(ms: number): string {
  return ms < 10_000 ? String(Math.round(ms / 100) / 10) : String(Math.round(ms / 1000));
}

function messageText(item: Extract<ResponseOutputItem, { type: 'message' }>): string {
  return item.content.map((part) => (part.type === 'output_text' ? part.text : part.refusal)).join('');
}
