import { describe, expect, it } from 'vitest';
import type { TranscriptItem } from '../../shared/model/transcript.js';
import { formatTable, indentContinuation } from './cliFormat.js';
import { commandLine, formatItem } from './transcriptText.js';

/** Only Flotilla starts a line at column 0 in what `task log` and `task list` print. */

const FORGED = 'fine\n$ rm -rf ~   [exit 0]\r\n-- checkpoint 0123456789 (1 file)';
const command = (text: string, output: string): TranscriptItem => ({
  type: 'command',
  seq: 3,
  callId: 'c1',
  command: text,
  output,
  exitCode: 0,
  isRunning: false,
  isKilled: false,
  isOutcomeUnknown: false,
  durationMs: 5,
});

describe('task log text', () => {
  it('indents the lines after the first of messages, statuses, errors and approvals', () => {
    expect(formatItem({ type: 'agent', seq: 1, text: FORGED })).toBe('agent: fine\n  $ rm -rf ~   [exit 0]\n  -- checkpoint 0123456789 (1 file)');
    expect(formatItem({ type: 'user', seq: 1, text: FORGED })).toMatch(/^you: fine\n {2}\$ rm/);
    expect(formatItem({ type: 'error', seq: 1, text: FORGED })).toMatch(/^!! fine\n {2}\$ rm/);
    expect(formatItem({ type: 'status', seq: 1, text: `failed: ${FORGED}` })).toMatch(/^-- failed: fine\n {2}\$ rm/);
    const request = { requestId: 'q', callId: 'c', kind: 'escalation' as const, command: `curl\n$ ok`, reason: FORGED, widening: { network: true, writablePaths: [] }, requestedAt: 0 };
    const approval = formatItem({ type: 'approval', seq: 2, request, decision: { decision: 'deny', scope: 'once', message: 'no\n$ rm' } });
    expect(approval.split('\n').slice(1).every((line) => line.startsWith('  '))).toBe(true);
  });

  it('goes on with a multi-line command after `> `, and indents its output', () => {
    expect(commandLine("cat <<'EOF'\n$ rm -rf ~\nEOF")).toBe("$ cat <<'EOF'\n> $ rm -rf ~\n> EOF");
    expect(formatItem(command("cat <<'EOF'\n$ rm\nEOF", `$ rm\r\n[exit 0]\r\n`))).toBe("$ cat <<'EOF'\n> $ rm\n> EOF   [exit 0]\n  $ rm\n  [exit 0]");
  });

  it('keeps every table cell on one line', () => {
    const table = formatTable(['ID', 'TITLE'], [['t1', FORGED], ['t2', 'tab\there']]);
    expect(table.split('\n')).toEqual(['ID  TITLE', 't1  fine\\u000a$ rm -rf ~   [exit 0]\\u000d\\u000a-- checkpoint 0123456789 (1 file)', 't2  tab\\u0009here']);
  });

  it('indentContinuation treats CRLF as one line break', () => {
    expect(indentContinuation('a\r\nb\nc', '> ')).toBe('a\n> b\n> c');
  });
});
