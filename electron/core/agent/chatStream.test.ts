import { describe, expect, it } from 'vitest';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { toChatMessages } from './chatStream.js';

describe('the loop history as chat messages', () => {
  it('puts the instructions first, joins a preamble with its calls, and answers each call with a tool message', () => {
    const history: ResponseInputItem[] = [
      { role: 'user', content: 'fix the build' },
      { role: 'assistant', content: 'Let me look.' },
      { type: 'function_call', call_id: 'c1', name: 'shell', arguments: '{"command":"ls"}' },
      { type: 'function_call', call_id: 'c2', name: 'shell', arguments: '{"command":"cat x"}' },
      { type: 'function_call_output', call_id: 'c1', output: 'a\nb' },
      { type: 'function_call_output', call_id: 'c2', output: 'x' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: [{ type: 'input_text', text: 'thanks' }] },
    ];
    expect(toChatMessages('be careful', history)).toEqual([
      { role: 'system', content: 'be careful' },
      { role: 'user', content: 'fix the build' },
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'shell', arguments: '{"command":"ls"}' } },
          { id: 'c2', type: 'function', function: { name: 'shell', arguments: '{"command":"cat x"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'a\nb' },
      { role: 'tool', tool_call_id: 'c2', content: 'x' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'thanks' },
    ]);
  });

  it('gives a call with no preamble an assistant message of its own', () => {
    const messages = toChatMessages('i', [
      { role: 'user', content: 'go' },
      { type: 'function_call', call_id: 'c1', name: 'shell', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'ok' },
    ]);
    expect(messages[2]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'shell', arguments: '{}' } }] });
  });
});
