import { describe, expect, it } from 'vitest';
import { OutputBatcher } from './outputBatcher.js';
import { clipMiddle, formatShellResult, parseShellCall } from './shellTool.js';

describe('parseShellCall', () => {
  it('accepts {"command": string} for the shell tool only', () => {
    expect(parseShellCall('shell', '{"command":"ls -la"}')).toEqual({
      isValid: true,
      command: 'ls -la',
      network: false,
      writablePaths: [],
      justification: '',
    });
    expect(parseShellCall('python', '{"command":"ls"}')).toMatchObject({ isValid: false, error: expect.stringContaining('no tool named "python"') });
    expect(parseShellCall('shell', '{"command":')).toMatchObject({ isValid: false, error: expect.stringContaining('not valid JSON') });
    expect(parseShellCall('shell', '{"cmd":"ls"}')).toMatchObject({ isValid: false });
    expect(parseShellCall('shell', '{"command":"  "}')).toMatchObject({ isValid: false });
  });

  it('reads a request to go beyond the sandbox, and refuses malformed paths', () => {
    const asked = parseShellCall('shell', JSON.stringify({ command: 'npm ci', network: true, writable_paths: ['/opt/cache'], justification: 'deps' }));
    expect(asked).toEqual({ isValid: true, command: 'npm ci', network: true, writablePaths: ['/opt/cache'], justification: 'deps' });
    // Only a literal true asks for network: "yes" or 1 do not.
    expect(parseShellCall('shell', '{"command":"ls","network":"yes"}')).toMatchObject({ isValid: true, network: false });
    expect(parseShellCall('shell', '{"command":"ls","writable_paths":"/tmp"}')).toMatchObject({ isValid: false });
  });
});

describe('formatShellResult', () => {
  const base = { output: 'oops\n', exitCode: 2, isKilled: false, isTruncated: false };

  it('appends the exit code on its own line, also for failures', () => {
    expect(formatShellResult(base, 'n/a')).toBe('oops\n\n[exit code 2]');
    expect(formatShellResult({ ...base, output: '' }, 'n/a')).toBe('\n[exit code 2]');
  });

  it('says why a command was killed', () => {
    expect(formatShellResult({ ...base, exitCode: null, isKilled: true }, 'the task was stopped')).toBe('oops\n\n[killed: the task was stopped]');
  });

  it('keeps the start and the end of long output for the model', () => {
    const text = `${'a'.repeat(50)}${'b'.repeat(100)}${'c'.repeat(50)}`;
    const clipped = clipMiddle(text, 60);
    expect(clipped.startsWith('a'.repeat(20))).toBe(true);
    expect(clipped.endsWith('c'.repeat(40))).toBe(true);
    expect(clipped).toContain('[... 140 characters omitted ...]');
    expect(clipMiddle('short', 60)).toBe('short');
  });
});

describe('OutputBatcher', () => {
  it('joins chunks until flushed, and sends big batches at once', async () => {
    const sent: string[] = [];
    let onSent = () => {};
    const batcher = new OutputBatcher(
      (chunk) => {
        sent.push(chunk);
        onSent();
      },
      { flushMs: 10, maxPendingChars: 8 },
    );
    batcher.push('ab');
    batcher.push('cd');
    expect(sent).toEqual([]);
    // The timer's flush, whenever a busy machine runs it.
    await new Promise<void>((resolve) => (onSent = resolve));
    expect(sent).toEqual(['abcd']);
    batcher.push('0123456789');
    expect(sent).toEqual(['abcd', '0123456789']);
    batcher.push('x');
    batcher.flush();
    batcher.flush();
    expect(sent).toEqual(['abcd', '0123456789', 'x']);
  });
});
