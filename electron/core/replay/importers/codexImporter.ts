import { isRecord } from '../../util/isRecord.js';
import { ImportedSession, parseJsonLine, timeOf, type Importer, type ImporterContext } from './importer.js';

/**
 * Codex CLI session files (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`): one JSON object a
 * line, `{ timestamp, type, payload }`, where `type` is
 * - `session_meta` (first line: the session id, cwd, git branch and commit),
 * - `turn_context` (the model of the turn),
 * - `response_item` (what went to and came from the model: `message` by role, `function_call`
 *   with its `function_call_output`, `local_shell_call`, `custom_tool_call` such as apply_patch,
 *   `reasoning`),
 * - `event_msg` (what the UI showed: `token_count`, `user_message`, `agent_message`, errors…),
 * - `compacted` (the history was summarised).
 * Messages come from the response items (event_msg repeats them); token counts from event_msg.
 */

/** Tools whose calls are shell commands: their `arguments` carry `command` (argv) or `cmd` (a script). */
const SHELL_TOOLS = new Set(['shell', 'container.exec', 'exec_command', 'local_shell', 'shell_command']);
/** event_msg types that repeat a response item or only drive Codex's UI: read, not imported, not "unknown". */
const ECHOED_EVENTS = new Set([
  'user_message',
  'agent_message',
  'agent_reasoning',
  'agent_reasoning_raw_content',
  'agent_reasoning_section_break',
  'exec_command_begin',
  'exec_command_end',
  'exec_command_output_delta',
  'patch_apply_begin',
  'patch_apply_end',
  'task_started',
  'task_complete',
  'turn_diff',
  'plan_update',
  'session_configured',
  'mcp_tool_call_begin',
  'mcp_tool_call_end',
  'web_search_begin',
  'web_search_end',
]);
/** Context Codex sends as a user message before the user's own words: not something the user typed. */
const CONTEXT_PREFIXES = ['<environment_context>', '<user_instructions>', '<user_shell_command>', '# AGENTS.md instructions'];

export function isCodexLine(value: unknown): boolean {
  return isRecord(value) && typeof value.type === 'string' && isRecord(value.payload) && typeof value.timestamp === 'string'
    && ['session_meta', 'response_item', 'event_msg', 'turn_context', 'compacted'].includes(value.type);
}

export class CodexImporter implements Importer {
  readonly format = 'codex' as const;
  private session: ImportedSession | null = null;
  /** Calls started and not yet answered: callId → when, for the duration. */
  private readonly openCalls = new Map<string, { at: number; isPatch: boolean }>();
  private lastAt = 0;

  constructor(private readonly ctx: ImporterContext) {}

  line(text: string, _number: number, isTerminated: boolean): void {
    const record = parseJsonLine(text);
    if (!isRecord(record) || typeof record.type !== 'string' || !isRecord(record.payload)) {
      this.ctx.sink.skip(isTerminated ? 'unreadable line' : 'torn last line');
      return;
    }
    const at = timeOf(record.timestamp, this.lastAt || this.ctx.fileTime);
    this.lastAt = at;
    const payload = record.payload;
    switch (record.type) {
      case 'session_meta':
        this.sessionOf(typeof payload.id === 'string' ? payload.id : this.ctx.fileName).begin(at, {
          cwd: typeof payload.cwd === 'string' ? payload.cwd : '',
          ...gitOf(payload.git),
        });
        return;
      case 'turn_context':
        if (typeof payload.model === 'string') this.sessionOf().model = payload.model;
        return;
      case 'response_item':
        return this.responseItem(at, payload);
      case 'event_msg':
        return this.eventMessage(at, payload);
      case 'compacted':
        this.sessionOf().record(at, { kind: 'note', text: 'Codex summarised the conversation so far (compacted).' });
        return;
      default:
        this.ctx.sink.skip(record.type);
    }
  }

  finish(): string {
    for (const callId of this.openCalls.keys()) this.sessionOf().record(this.lastAt, { kind: 'command_outcome_unknown', callId });
    return this.session ? this.session.finish(`Codex session ${this.ctx.fileName}`) : `Codex session ${this.ctx.fileName}`;
  }

  private sessionOf(id?: string): ImportedSession {
    this.session ??= new ImportedSession(this.ctx.sink, `codex-${id ?? this.ctx.fileName}`);
    return this.session;
  }

  private responseItem(at: number, item: Record<string, unknown>): void {
    const session = this.sessionOf();
    switch (item.type) {
      case 'message': {
        const text = messageText(item.content);
        if (item.role === 'user') {
          if (CONTEXT_PREFIXES.some((prefix) => text.trimStart().startsWith(prefix))) return;
          if (session.firstPrompt === '') session.firstPrompt = text;
          session.record(at, { kind: 'user_message', text });
        } else if (item.role === 'assistant') {
          session.record(at, { kind: 'agent_message', text });
        }
        // developer and system messages are Codex's own instructions, not the conversation.
        return;
      }
      case 'function_call': {
        const callId = stringOr(item.call_id, stringOr(item.id, `call-${at}`));
        const name = stringOr(item.name, 'tool');
        const args = typeof item.arguments === 'string' ? parseJsonLine(item.arguments) : item.arguments;
        if (name === 'apply_patch') return this.startCall(at, callId, 'apply_patch', patchOf(args), true);
        if (SHELL_TOOLS.has(name)) return this.startCall(at, callId, commandOf(args), null, false);
        // Any other tool (plans, MCP servers, image viewing…): shown as a command named after it.
        return this.startCall(at, callId, `${name} ${typeof item.arguments === 'string' ? item.arguments : JSON.stringify(item.arguments ?? {})}`, null, false);
      }
      case 'local_shell_call': {
        const callId = stringOr(item.call_id, stringOr(item.id, `call-${at}`));
        const action = isRecord(item.action) ? item.action : {};
        return this.startCall(at, callId, commandOf(action), null, false);
      }
      case 'custom_tool_call': {
        const callId = stringOr(item.call_id, stringOr(item.id, `call-${at}`));
        const name = stringOr(item.name, 'tool');
        const input = typeof item.input === 'string' ? item.input : JSON.stringify(item.input ?? '');
        return name === 'apply_patch' ? this.startCall(at, callId, 'apply_patch', input, true) : this.startCall(at, callId, `${name} ${input}`, null, false);
      }
      case 'function_call_output':
      case 'custom_tool_call_output':
        return this.finishCall(at, stringOr(item.call_id, ''), item.output);
      case 'reasoning':
      case 'web_search_call':
        // The model's private reasoning (often encrypted) and searches: never shown as the transcript.
        return;
      default:
        this.ctx.sink.skip(`response_item.${String(item.type)}`);
    }
  }

  private eventMessage(at: number, message: Record<string, unknown>): void {
    const session = this.sessionOf();
    const type = String(message.type);
    if (type === 'token_count') {
      const total = isRecord(message.info) && isRecord(message.info.total_token_usage) ? message.info.total_token_usage : null;
      if (total) {
        session.setUsage(at, {
          inputTokens: numberOr(total.input_tokens, session.usage.inputTokens),
          outputTokens: numberOr(total.output_tokens, session.usage.outputTokens),
        });
      }
      return;
    }
    if (type === 'error' || type === 'stream_error') {
      session.record(at, { kind: 'error', message: stringOr(message.message, 'Codex reported an error') });
      return;
    }
    if (type === 'turn_aborted') {
      session.record(at, { kind: 'note', text: `The turn was aborted (${stringOr(message.reason, 'no reason given')}).` });
      return;
    }
    if (!ECHOED_EVENTS.has(type)) this.ctx.sink.skip(`event_msg.${type}`);
  }

  private startCall(at: number, callId: string, command: string, patch: string | null, isPatch: boolean): void {
    const session = this.sessionOf();
    this.openCalls.set(callId, { at, isPatch });
    session.record(at, { kind: 'command_started', callId, command });
    // A patch's text is what the user reads of it: shown as the command's first output.
    if (patch) session.record(at, { kind: 'command_output', callId, chunk: patch.endsWith('\n') ? patch : `${patch}\n` });
  }

  private finishCall(at: number, callId: string, output: unknown): void {
    const call = this.openCalls.get(callId);
    if (!call) {
      this.ctx.sink.skip('output without its call');
      return;
    }
    this.openCalls.delete(callId);
    const result = commandResult(output);
    const session = this.sessionOf();
    if (result.text !== '') session.record(at, { kind: 'command_output', callId, chunk: result.text });
    const durationMs = result.durationMs ?? Math.max(0, at - call.at);
    session.record(at, { kind: 'command_finished', callId, exitCode: result.exitCode ?? (call.isPatch ? 0 : null), durationMs, isKilled: false });
  }
}

function gitOf(git: unknown): { branch?: string; commit?: string } {
  if (!isRecord(git)) return {};
  return {
    ...(typeof git.branch === 'string' ? { branch: git.branch } : {}),
    ...(typeof git.commit_hash === 'string' ? { commit: git.commit_hash } : {}),
  };
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/** A shell call's command line: `cmd` as written, or argv (`bash -lc SCRIPT` shows the script). */
function commandOf(args: unknown): string {
  if (!isRecord(args)) return 'shell';
  if (typeof args.cmd === 'string') return args.cmd;
  const argv = Array.isArray(args.command) ? args.command.filter((word): word is string => typeof word === 'string') : [];
  if (typeof args.command === 'string') return args.command;
  if (argv.length === 3 && /^(ba|z)?sh$/.test(argv[0] ?? '') && (argv[1] === '-lc' || argv[1] === '-c')) return argv[2] ?? '';
  return argv.map((word) => (/^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)).join(' ');
}

function patchOf(args: unknown): string {
  if (typeof args === 'string') return args;
  if (isRecord(args) && typeof args.input === 'string') return args.input;
  if (isRecord(args) && typeof args.patch === 'string') return args.patch;
  return '';
}

/**
 * A call's output as Codex logged it: a JSON string `{ output, metadata: { exit_code,
 * duration_seconds } }` (older), or text starting `Exit code: N` / `Wall time: S seconds` /
 * `Output:` (newer), or plain text (other tools).
 */
function commandResult(output: unknown): { text: string; exitCode: number | null; durationMs: number | null } {
  // A string; or `{ content }`; or (a tool that returned images) content items with text parts.
  const raw =
    typeof output === 'string'
      ? output
      : isRecord(output) && typeof output.content === 'string'
        ? output.content
        : Array.isArray(output)
          ? messageText(output)
          : JSON.stringify(output ?? '');
  const json = parseJsonLine(raw);
  if (isRecord(json) && typeof json.output === 'string') {
    const metadata = isRecord(json.metadata) ? json.metadata : {};
    const seconds = typeof metadata.duration_seconds === 'number' ? metadata.duration_seconds : null;
    return { text: json.output, exitCode: typeof metadata.exit_code === 'number' ? metadata.exit_code : null, durationMs: seconds === null ? null : Math.round(seconds * 1000) };
  }
  const exit = /^Exit code: (-?\d+)\n/.exec(raw);
  if (exit) {
    const wall = /\nWall time: ([\d.]+) seconds\n/.exec(raw);
    const body = raw.indexOf('\nOutput:\n');
    return {
      text: body === -1 ? '' : raw.slice(body + '\nOutput:\n'.length),
      exitCode: Number(exit[1]),
      durationMs: wall ? Math.round(Number(wall[1]) * 1000) : null,
    };
  }
  return { text: raw, exitCode: null, durationMs: null };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
