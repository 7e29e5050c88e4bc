import type { FunctionTool } from 'openai/resources/responses/responses';
import { applyPatch, confinedPath, type PatchTarget } from './patchApply.js';
import { readAgentFile } from './agentFile.js';
import { parsePatch } from './patchFormat.js';
import { clipMiddle, MODEL_OUTPUT_MAX_CHARS, SHELL_TOOL } from './shellTool.js';
import { UPDATE_PLAN_TOOL } from './planTool.js';

/**
 * The agent's file tools beside `shell`: `apply_patch` (the edit format Codex-trained models
 * already write) and `read_file` (a range of numbered lines). Both run in the worker, confined
 * to the worktree by patchApply.ts's path checks; `apply_patch` goes through the same gate as a
 * command (a read-only task refuses it, an untrusted one asks first).
 */

export const APPLY_PATCH_TOOL: FunctionTool = {
  type: 'function',
  name: 'apply_patch',
  description:
    'Edit files in the worktree with a patch: "*** Begin Patch", then for each file "*** Add File: <path>" (every line prefixed with +), ' +
    '"*** Delete File: <path>", or "*** Update File: <path>" (optionally "*** Move to: <new path>") followed by changes: ' +
    '"@@ <a line to find first>" headers and lines prefixed with " " (context, about 3 lines around each change), "-" (remove) or "+" (add); ' +
    'then "*** End Patch". Paths are relative to the worktree. The patch applies whole or not at all.',
  parameters: {
    type: 'object',
    properties: { input: { type: 'string', description: 'The whole patch, from "*** Begin Patch" to "*** End Patch".' } },
    required: ['input'],
    additionalProperties: false,
  },
  strict: false,
};

export const READ_FILE_TOOL: FunctionTool = {
  type: 'function',
  name: 'read_file',
  description: 'Read lines of a file in the worktree, numbered from 1. Give start_line and end_line for a range of a long file.',
  parameters: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'The file, relative to the worktree.' },
      start_line: { type: 'integer', description: 'First line to read (default 1).' },
      end_line: { type: 'integer', description: 'Last line to read (default: as many as fit, about 2000).' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  strict: false,
};

/** Every tool the built-in agent is offered, in the order the model reads them. */
export const AGENT_TOOLS: FunctionTool[] = [SHELL_TOOL, APPLY_PATCH_TOOL, READ_FILE_TOOL, UPDATE_PLAN_TOOL];

/** 2000 lines: a screenful of context many times over, well under the output cap for normal code. */
const DEFAULT_READ_LINES = 2000;
/** 10 MiB: read_file is for source files, not data dumps. */
const MAX_READ_BYTES = 10 * 1024 * 1024;

export type ToolArguments<T> = { isValid: true; value: T } | { isValid: false; error: string };

export function parseApplyPatchCall(argumentsJson: string): ToolArguments<string> {
  const args = parseObject(argumentsJson, 'apply_patch', '{"input": "*** Begin Patch\\n…\\n*** End Patch"}');
  if (!args.isValid) return args;
  const input = args.value.input ?? args.value.patch;
  if (typeof input !== 'string' || input.trim() === '') return { isValid: false, error: 'error: apply_patch needs an "input" string holding the patch.' };
  return { isValid: true, value: input };
}

export function parseReadFileCall(argumentsJson: string): ToolArguments<{ path: string; startLine: number; endLine: number | null }> {
  const args = parseObject(argumentsJson, 'read_file', '{"path": "src/main.ts", "start_line": 1, "end_line": 200}');
  if (!args.isValid) return args;
  const { path, start_line: start, end_line: end } = args.value;
  if (typeof path !== 'string' || path.trim() === '') return { isValid: false, error: 'error: read_file needs a "path" string.' };
  const startLine = start === undefined ? 1 : Number(start);
  const endLine = end === undefined ? null : Number(end);
  if (!Number.isInteger(startLine) || startLine < 1 || (endLine !== null && (!Number.isInteger(endLine) || endLine < startLine))) {
    return { isValid: false, error: 'error: start_line and end_line are whole numbers, 1 ≤ start_line ≤ end_line.' };
  }
  return { isValid: true, value: { path, startLine, endLine } };
}

/**
 * `apply_patch <<'EOF' … EOF` as a shell command (how Codex's own models often call it): the
 * patch inside, or null when the command is something else.
 */
export function patchFromShellCommand(command: string): string | null {
  const match = /^\s*(?:apply_patch|applypatch)\s+<<\s*(['"]?)([A-Za-z_]+)\1[ \t]*\n([\s\S]*?)\n\2\s*$/.exec(command);
  return match ? (match[3] ?? null) : null;
}

/** Applies a patch for the model: what changed (`A`/`M`/`D` per file), or why nothing did. */
export async function runApplyPatch(target: PatchTarget, patchText: string): Promise<{ ok: boolean; output: string }> {
  const parsed = parsePatch(patchText);
  if (!parsed.ok) return { ok: false, output: `error: the patch is not valid: ${parsed.error}. Nothing was changed.` };
  const applied = await applyPatch(target, parsed.operations);
  if (!applied.ok) return { ok: false, output: `error: the patch did not apply: ${applied.error}. Nothing was changed unless listed as done.` };
  return { ok: true, output: `Applied:\n${applied.summary.join('\n')}` };
}

/** Numbered lines of a worktree file for the model, or why not. */
export async function runReadFile(target: PatchTarget, request: { path: string; startLine: number; endLine: number | null }): Promise<{ ok: boolean; output: string }> {
  const where = await confinedPath(target, request.path);
  if (!where.ok) return { ok: false, output: `error: ${where.error}` };
  const read = await readAgentFile(where.absolute, { maxBytes: MAX_READ_BYTES });
  if (read.kind === 'missing') return { ok: false, output: `error: ${request.path}: no such file` };
  if (read.kind === 'not_regular') return { ok: false, output: `error: ${request.path}: not a regular file` };
  if (read.kind === 'unreadable') return { ok: false, output: `error: ${request.path}: ${read.message}` };
  if (read.kind === 'too_big') return { ok: false, output: `error: ${request.path}: ${read.size} bytes; read a part with the shell (head, sed -n)` };
  if (read.data.includes(0)) return { ok: false, output: `error: ${request.path}: a binary file (${read.size} bytes)` };
  const lines = read.data.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const last = Math.min(lines.length, request.endLine ?? request.startLine + DEFAULT_READ_LINES - 1);
  if (request.startLine > lines.length) return { ok: false, output: `error: ${request.path} has ${lines.length} lines` };
  const width = String(last).length;
  const shown = lines.slice(request.startLine - 1, last).map((line, index) => `${String(request.startLine + index).padStart(width)}\t${line}`);
  const more = last < lines.length ? `\n[lines ${last + 1}–${lines.length} not shown: read them with start_line]` : '';
  return { ok: true, output: clipMiddle(shown.join('\n'), MODEL_OUTPUT_MAX_CHARS) + more };
}

function parseObject(argumentsJson: string, tool: string, example: string): ToolArguments<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { isValid: true, value: parsed as Record<string, unknown> };
  } catch {
    // Said below.
  }
  return { isValid: false, error: `error: the ${tool} arguments must be a JSON object, e.g. ${example}.` };
}
