import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ResponseInputItem, ResponseOutputItem } from 'openai/resources/responses/responses';
import { oneLine } from './apiErrorReason.js';
import type { ModelCallOptions, ModelReply, StreamControl } from './modelCall.js';
import { AGENT_TOOLS } from './editTools.js';

/**
 * Chat Completions for endpoints that speak only that (Ollama, vLLM, LM Studio, most proxies).
 * The loop keeps one history shape, the Responses API's items; this module translates it to
 * chat messages for each call and the reply back to output items, so the loop, the stored
 * history and resume are the same whichever API a provider speaks.
 */

const CHAT_TOOLS: ChatCompletionTool[] = AGENT_TOOLS.map((tool) => ({
  type: 'function',
  function: { name: tool.name, description: tool.description ?? '', parameters: tool.parameters ?? {} },
}));

type ToolCall = Extract<ChatCompletionMessageToolCall, { type: 'function' }>;

/** The instructions as the system message, then the history; consecutive calls join one assistant message. */
export function toChatMessages(instructions: string, input: readonly ResponseInputItem[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: instructions }];
  for (const item of input) {
    if (item.type === 'function_call') {
      const call: ToolCall = { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
      const last = messages.at(-1);
      // A call right after the assistant's text (its preamble), or after another call: one message.
      if (last?.role === 'assistant') last.tool_calls = [...(last.tool_calls ?? []), call];
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else if (item.type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: typeof item.output === 'string' ? item.output : JSON.stringify(item.output) });
    } else if ('role' in item && (item.type === undefined || item.type === 'message')) {
      const text = textOf(item.content);
      if (item.role === 'assistant') messages.push({ role: 'assistant', content: text });
      else if (item.role === 'user') messages.push({ role: 'user', content: text });
      else messages.push({ role: 'system', content: text });
    }
    // Other item kinds (reasoning…) come only from the Responses API; chat has no place for them.
  }
  return messages;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: unknown) => (typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}

/** The streamed chat reply as the Responses API's output items (a message, then function calls). */
export async function readChatStream(opts: ModelCallOptions, control: StreamControl): Promise<ModelReply | null> {
  const stream = await opts.client.chat.completions.create(
    {
      model: opts.model,
      messages: toChatMessages(opts.instructions, opts.input),
      tools: CHAT_TOOLS,
      stream: true,
      stream_options: { include_usage: true },
      ...(opts.textFormat
        ? { response_format: { type: 'json_schema' as const, json_schema: { name: opts.textFormat.name, schema: opts.textFormat.schema, strict: opts.textFormat.strict } } }
        : {}),
    },
    { signal: control.signal },
  );
  control.onActivity();
  let text = '';
  const calls: { id: string; name: string; arguments: string }[] = [];
  let finishReason: string | null = null;
  let usage = { inputTokens: 0, outputTokens: 0 };
  for await (const chunk of stream) {
    control.onActivity();
    if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
    const choice = chunk.choices[0];
    if (!choice) continue;
    text += choice.delta.content ?? '';
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' });
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name += delta.function.name;
      if (delta.function?.arguments) call.arguments += delta.function.arguments;
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  if (finishReason === null) return null;
  if (finishReason === 'content_filter') return { kind: 'failed', reason: oneLine(`model API at ${opts.client.baseURL} refused the reply (content filter)`) };
  return { kind: 'ok', output: toOutputItems(text, calls.filter((call) => call !== undefined)), usage };
}

function toOutputItems(text: string, calls: readonly { id: string; name: string; arguments: string }[]): ResponseOutputItem[] {
  const items: ResponseOutputItem[] = [];
  if (text !== '') {
    items.push({ type: 'message', id: 'chat-message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });
  }
  calls.forEach((call, index) => {
    // Some servers leave ids out: the loop and the next request need one to pair call and output.
    const callId = call.id || `call_${index}_${Date.now().toString(36)}`;
    items.push({ type: 'function_call', id: callId, call_id: callId, name: call.name, arguments: call.arguments, status: 'completed' });
  });
  return items;
}
