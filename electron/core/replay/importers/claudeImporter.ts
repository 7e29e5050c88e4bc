import { isRecord } from '../../util/isRecord.js';
import { ImportedSession, parseJsonLine, timeOf, type Importer, type ImporterContext } from './importer.js';

/**
 * Claude Code transcripts (`~/.claude/projects/<project>/<session>.jsonl`): one JSON object a
 * line. `type: "user"` and `type: "assistant"` lines carry `message: { role, content }` (a string,
 * or blocks: `text`, `thinking`, `tool_use { id, name, input }`, `tool_result { tool_use_id,
 * content, is_error }`) with `sessionId`, `cwd`, `gitBranch` and an ISO `timestamp`; an
 * assistant message's `usage` repeats on each line of the same `message.id`. `summary` lines
 * title the session; `system` lines are notices. Bash tool calls become commands with their
 * results as output; other tools become commands named after the tool.
 */

/** Line types that are Claude Code's own bookkeeping (file snapshots, queue state): read, not imported. */
const BOOKKEEPING = new Set(['file-history-snapshot', 'queue-operation']);

export function isClaudeLine(value: unknown): boolean {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  if (value.type === 'summary') return typeof value.summary === 'string';
  return typeof value.sessionId === 'string' || (isRecord(value.message) && typeof value.uuid === 'string');
}

export class ClaudeImporter implements Importer {
  readonly format = 'claude' as const;
  private session: ImportedSession | null = null;
  private title: string | undefined;
  private readonly openCalls = new Map<string, number>();
  private readonly countedUsage = new Set<string>();
  private lastAt = 0;

  constructor(private readonly ctx: ImporterContext) {}

  line(text: string, _number: number, isTerminated: boolean): void {
    const record = parseJsonLine(text);
    if (!isRecord(record) || typeof record.type !== 'string') {
      this.ctx.sink.skip(isTerminated ? 'unreadable line' : 'torn last line');
      return;
    }
    const at = timeOf(record.timestamp, this.lastAt || this.ctx.fileTime);
    this.lastAt = at;
    if (typeof record.sessionId === 'string') {
      this.sessionOf(record.sessionId).begin(at, { cwd: typeof record.cwd === 'string' ? record.cwd : '', ...(typeof record.gitBranch === 'string' ? { branch: record.gitBranch } : {}) });
    }
    switch (record.type) {
      case 'summary':
        if (typeof record.summary === 'string' && record.summary.trim() !== '') this.title ??= record.summary.trim();
        return;
      case 'user':
        if (record.isMeta === true) return;
        return this.userMessage(at, isRecord(record.message) ? record.message.content : undefined);
      case 'assistant':
        return this.assistantMessage(at, isRecord(record.message) ? record.message : {});
      case 'system':
        if (typeof record.content === 'string' && record.content !== '') this.sessionOf().record(at, { kind: 'note', text: record.content });
        return;
      default:
        if (!BOOKKEEPING.has(record.type)) this.ctx.sink.skip(record.type);
    }
  }

  finish(): string {
    for (const callId of this.openCalls.keys()) this.sessionOf().record(this.lastAt, { kind: 'command_outcome_unknown', callId });
    const fallback = `Claude Code session ${this.ctx.fileName}`;
    return this.session ? this.session.finish(fallback, this.title) : (this.title ?? fallback);
  }

  private sessionOf(id?: string): ImportedSession {
    this.session ??= new ImportedSession(this.ctx.sink, `claude-${id ?? this.ctx.fileName}`);
    return this.session;
  }

  private userMessage(at: number, content: unknown): void {
    if (typeof content === 'string') return this.userText(at, content);
    if (!Array.isArray(content)) {
      this.ctx.sink.skip('user message without content');
      return;
    }
    for (const block of content) {
      if (!isRecord(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') this.userText(at, block.text);
      else if (block.type === 'tool_result') this.toolResult(at, block);
      else if (block.type !== 'image') this.ctx.sink.skip(`user block ${String(block.type)}`);
    }
  }

  private userText(at: number, text: string): void {
    const session = this.sessionOf();
    if (session.firstPrompt === '') session.firstPrompt = text;
    session.record(at, { kind: 'user_message', text });
  }

  private assistantMessage(at: number, message: Record<string, unknown>): void {
    const session = this.sessionOf();
    if (typeof message.model === 'string' && message.model !== '<synthetic>') session.model = message.model;
    const id = typeof message.id === 'string' ? message.id : null;
    if (isRecord(message.usage) && (id === null || !this.countedUsage.has(id))) {
      if (id) this.countedUsage.add(id);
      const usage = message.usage;
      const input = ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'].reduce((sum, key) => sum + (typeof usage[key] === 'number' ? usage[key] : 0), 0);
      const output = typeof usage.output_tokens === 'number' ? usage.output_tokens : 0;
      session.setUsage(at, { inputTokens: session.usage.inputTokens + input, outputTokens: session.usage.outputTokens + output });
    }
    const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? message.content : [];
    for (const block of content) {
      if (!isRecord(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') session.record(at, { kind: 'agent_message', text: block.text });
      else if (block.type === 'tool_use') this.toolUse(at, block);
      else if (block.type !== 'thinking' && block.type !== 'redacted_thinking') this.ctx.sink.skip(`assistant block ${String(block.type)}`);
    }
  }

  private toolUse(at: number, block: Record<string, unknown>): void {
    const callId = typeof block.id === 'string' ? block.id : `call-${at}`;
    const input = isRecord(block.input) ? block.input : {};
    const name = typeof block.name === 'string' ? block.name : 'tool';
    const command = name === 'Bash' && typeof input.command === 'string' ? input.command : `${name} ${JSON.stringify(input)}`;
    this.openCalls.set(callId, at);
    this.sessionOf().record(at, { kind: 'command_started', callId, command });
  }

  /** Claude Code keeps no exit code: a result is 0, an error result (`is_error`) 1. */
  private toolResult(at: number, block: Record<string, unknown>): void {
    const callId = typeof block.tool_use_id === 'string' ? block.tool_use_id : '';
    const startedAt = this.openCalls.get(callId);
    if (startedAt === undefined) {
      this.ctx.sink.skip('tool_result without its tool_use');
      return;
    }
    this.openCalls.delete(callId);
    const text = resultText(block.content);
    const session = this.sessionOf();
    if (text !== '') session.record(at, { kind: 'command_output', callId, chunk: text.endsWith('\n') ? text : `${text}\n` });
    session.record(at, { kind: 'command_finished', callId, exitCode: block.is_error === true ? 1 : 0, durationMs: Math.max(0, at - startedAt), isKilled: false });
  }
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('\n');
}
