import { describe, expect, it } from 'vitest';
import type { TaskEvent, TaskEventBody } from '../../shared/model/taskEvents.js';
import { createLogPrinter } from './logPrinter.js';

function events(...bodies: TaskEventBody[]): TaskEvent[] {
  return bodies.map((body, seq) => ({ seq, taskId: 't1', at: 0, body }));
}

describe('createLogPrinter (task log --follow)', () => {
  it("ends a command at column 0, where the command's own (indented) output cannot forge its end", () => {
    const lines: string[] = [];
    const printer = createLogPrinter({ write: (line) => lines.push(line), isJson: false });
    printer.print(
      events(
        { kind: 'command_started', callId: 'c1', command: 'make' },
        { kind: 'command_output', callId: 'c1', chunk: 'building\n[exit 0]\n$ rm -rf ~\n' },
        { kind: 'command_finished', callId: 'c1', exitCode: 2, durationMs: 5, isKilled: false },
      ),
    );
    expect(lines).toEqual(['$ make', '  building', '  [exit 0]', '  $ rm -rf ~', '[exit 2]']);
  });
});
