import { describe, expect, it } from 'vitest';
import { COMMAND_OUTPUT_VIEW_LIMIT, foldTranscript } from './transcript.js';
import type { TaskEvent, TaskEventBody } from './taskEvents.js';

let seq = 0;
const ev = (body: TaskEventBody): TaskEvent => ({ seq: ++seq, taskId: 't1', at: 0, body });

describe('transcript fold', () => {
  it('joins a command’s streamed output and its exit code into one block', () => {
    const items = foldTranscript([
      ev({ kind: 'user_message', text: 'add a file' }),
      ev({ kind: 'command_started', callId: 'c1', command: 'echo hi' }),
      ev({ kind: 'command_output', callId: 'c1', chunk: 'h' }),
      ev({ kind: 'command_output', callId: 'c1', chunk: 'i\n' }),
      ev({ kind: 'command_finished', callId: 'c1', exitCode: 0, durationMs: 12, isKilled: false }),
      ev({ kind: 'agent_message', text: 'done' }),
    ]);
    expect(items.map((i) => i.type)).toEqual(['user', 'command', 'agent']);
    const command = items[1];
    expect(command).toMatchObject({ type: 'command', command: 'echo hi', output: 'hi\n', exitCode: 0, isRunning: false, durationMs: 12 });
  });

  it('keeps only the tail of a huge output in the view', () => {
    const big = 'x'.repeat(COMMAND_OUTPUT_VIEW_LIMIT);
    const items = foldTranscript([
      ev({ kind: 'command_started', callId: 'c1', command: 'yes' }),
      ev({ kind: 'command_output', callId: 'c1', chunk: big }),
      ev({ kind: 'command_output', callId: 'c1', chunk: 'END' }),
    ]);
    const command = items[0];
    if (command?.type !== 'command') throw new Error('expected a command');
    expect(command.output.length).toBe(COMMAND_OUTPUT_VIEW_LIMIT);
    expect(command.output.endsWith('END')).toBe(true);
  });

  it('stops showing a command as running once the task leaves running', () => {
    const items = foldTranscript([
      ev({ kind: 'command_started', callId: 'c1', command: 'sleep 100' }),
      ev({ kind: 'status_changed', from: 'running', to: 'stopped', reason: 'stopped by you' }),
    ]);
    expect(items[0]).toMatchObject({ type: 'command', isRunning: false, exitCode: null });
    expect(items[1]).toMatchObject({ type: 'status', text: 'stopped: stopped by you' });
  });
});
