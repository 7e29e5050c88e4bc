import { describe, expect, it } from 'vitest';
import { commandHeader, exitLine } from './agentTerminalLines.js';

describe('the Agent terminal’s own lines', () => {
  it('shows a command’s control characters as symbols, never as sequences the terminal would run', () => {
    const header = commandHeader('printf "\x1b]0;pwned\x07"\x1b[2J', { isFirst: true, isAtLineStart: true });
    expect(header).toContain('printf "␛]0;pwned␇"␛[2J');
    // Only our own sequences are left: resets, dim, show-cursor.
    expect(header.replaceAll('\x1b[0m', '').replaceAll('\x1b[2m', '').replaceAll('\x1b[?25h', '')).not.toContain('\x1b');
  });

  it('indents the continuation lines of a multi-line command and separates commands by a blank line', () => {
    expect(commandHeader('cd src\nmake', { isFirst: true, isAtLineStart: true })).toBe('\r\x1b[0m\x1b[2m$ cd src\r\n  make\x1b[0m\r\n\x1b[?25h');
    expect(commandHeader('ls', { isFirst: false, isAtLineStart: false })).toBe('\r\n\x1b[0m\r\n\x1b[2m$ ls\x1b[0m\r\n\x1b[?25h');
  });

  it('ends a command with its exit code or how it ended, and how long it took', () => {
    expect(exitLine({ exitCode: 1, durationMs: 2_345, isKilled: false }, { isAtLineStart: true })).toBe('\r\x1b[0m\x1b[2mexit 1 · 2.3 s\x1b[0m\r\n\x1b[?25l');
    expect(exitLine({ exitCode: null, durationMs: 600_000, isKilled: true }, { isAtLineStart: true })).toContain('killed · 10m 00s');
    expect(exitLine({ notRun: 'not run' }, { isAtLineStart: false }).startsWith('\r\n\x1b[0m\x1b[2mnot run')).toBe(true);
  });

  it('gives a short command its time in ms, as the transcript does', () => {
    expect(exitLine({ exitCode: 0, durationMs: 35, isKilled: false }, { isAtLineStart: true })).toContain('exit 0 · 35 ms');
  });
});
