import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalRecorder, readRecording } from './terminalRecorder.js';
import { createSecretRedactor } from '../redaction/redactSecrets.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-rec-'));
  dirs.push(dir);
  return path.join(dir, 'recordings');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const SESSION = '0b9c3f5e-8d1a-4c2b-9e7f-1a2b3c4d5e6f';

describe('TerminalRecorder', () => {
  it('writes an asciicast v2 file: header, then output, input and resizes in order with their times', async () => {
    let now = 1_700_000_000_000;
    const recorder = new TerminalRecorder({ dir: tempDir(), clock: () => now });
    const file = recorder.start(SESSION, { cols: 120, rows: 40, command: 'bash -i', title: 'task 1' });
    recorder.output(SESSION, '$ ');
    now += 1500;
    recorder.input(SESSION, 'ls\r');
    now += 20;
    recorder.output(SESSION, 'ls\r\n\x1b[32mREADME.md\x1b[0m\r\n');
    recorder.resize(SESSION, 100, 30);
    await recorder.end(SESSION);

    const { header, events } = readRecording(file);
    expect(header).toEqual({ version: 2, width: 120, height: 40, timestamp: 1_700_000_000, command: 'bash -i', title: 'task 1' });
    expect(events).toEqual([
      { seconds: 0, code: 'o', data: '$ ' },
      { seconds: 1.5, code: 'i', data: 'ls\r' },
      { seconds: 1.52, code: 'o', data: 'ls\r\n\x1b[32mREADME.md\x1b[0m\r\n' },
      { seconds: 1.52, code: 'r', data: '100x30' },
    ]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps every byte of a big stream, in order, without writing on each chunk', async () => {
    const recorder = new TerminalRecorder({ dir: tempDir(), flushIntervalMs: 50 });
    const file = recorder.start(SESSION, { cols: 80, rows: 24 });
    let sent = '';
    for (let i = 0; i < 20_000; i++) {
      const chunk = `${i} \u00e9\u4e2d\u{1f600} line\r\n`;
      sent += chunk;
      recorder.output(SESSION, chunk);
    }
    // Nothing written synchronously beyond the header: the stream is never held up by the disk.
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    await recorder.end(SESSION);
    const { events } = readRecording(file);
    expect(events.map((e) => e.data).join('')).toBe(sent);
  });

  it('drops output (never input) past the queue limit and says how much with a marker', async () => {
    const recorder = new TerminalRecorder({ dir: tempDir(), maxQueuedChars: 1_000, flushIntervalMs: 10_000 });
    const file = recorder.start(SESSION, { cols: 80, rows: 24 });
    recorder.output(SESSION, 'a'.repeat(990));
    recorder.output(SESSION, 'b'.repeat(500));
    recorder.input(SESSION, 'q');
    await recorder.end(SESSION);
    const { events } = readRecording(file);
    expect(events.map((e) => e.code)).toEqual(['o', 'm', 'i']);
    expect(events[1]?.data).toContain('dropped 500 chars');
    expect(events[2]?.data).toBe('q');
  });

  it('ignores sessions it is not recording and a path-like session id stays inside its folder', async () => {
    const dir = tempDir();
    const recorder = new TerminalRecorder({ dir });
    recorder.output('not-started', 'x');
    expect(path.dirname(recorder.pathOf('../../etc/passwd'))).toBe(dir);
    await recorder.end('not-started');
    await recorder.dispose();
  });

  it('never writes a secret split across output chunks or typed a key at a time; other chunks keep their times', async () => {
    let now = 1_700_000_000_000;
    const recorder = new TerminalRecorder({ dir: tempDir(), clock: () => now });
    const file = recorder.start(SESSION, { cols: 80, rows: 24 });
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    recorder.output(SESSION, '$ ');
    // Typed one key at a time, each echoed 100 ms apart.
    for (const key of `echo ${token}\r`) {
      now += 100;
      recorder.input(SESSION, key);
      recorder.output(SESSION, key === '\r' ? '\r\n' : key);
    }
    // The program prints it back, split in the middle of the token.
    now += 50;
    recorder.output(SESSION, `${token.slice(0, 10)}`);
    now += 5;
    recorder.output(SESSION, `${token.slice(10)}\r\n$ `);
    await recorder.end(SESSION);

    const raw = fs.readFileSync(file, 'utf8');
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(token.slice(4, 20));
    const { events } = readRecording(file);
    const output = events.filter((e) => e.code === 'o').map((e) => e.data).join('');
    const input = events.filter((e) => e.code === 'i').map((e) => e.data).join('');
    expect(output).toBe('$ echo ghp_****\r\nghp_****\r\n$ ');
    expect(input).toBe('echo ghp_****\r');
    // "echo" was typed before the token: its keys keep their own times (0.1 s apart).
    expect(events.filter((e) => e.code === 'i').slice(0, 4).map((e) => [e.seconds, e.data])).toEqual([
      [0.1, 'e'], [0.2, 'c'], [0.3, 'h'], [0.4, 'o'],
    ]);
    const seconds = events.map((e) => e.seconds);
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
  });

  it('holds an Authorization line and a private key block until they end, then masks them', async () => {
    const recorder = new TerminalRecorder({ dir: tempDir() });
    const file = recorder.start(SESSION, { cols: 80, rows: 24 });
    recorder.output(SESSION, 'curl -H "Authorization: Bearer ');
    recorder.output(SESSION, 'abc123def456ghi" https://example.test\r\n');
    recorder.output(SESSION, '-----BEGIN OPENSSH PRIVATE KEY-----\r\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\r\n');
    recorder.output(SESSION, 'QyNTUxOQAAACBkZXZpY2Uta2V5LWZvci10ZXN0cy1vbmx5LW5vdC1yZWFsAAAAA\r\n-----END OPENSSH PRIVATE KEY-----\r\ndone\r\n');
    await recorder.end(SESSION);
    const raw = fs.readFileSync(file, 'utf8');
    expect(raw).not.toContain('abc123def456ghi');
    expect(raw).not.toContain('b3BlbnNzaC1rZXktdjEAAAAABG5vbmU');
    expect(raw).not.toContain('QyNTUxOQAAACBkZXZpY2U');
    const output = readRecording(file).events.map((e) => e.data).join('');
    expect(output).toBe(
      'curl -H "Authorization: Bearer ****" https://example.test\r\n-----BEGIN OPENSSH PRIVATE KEY-----\r\n****\r\n-----END OPENSSH PRIVATE KEY-----\r\ndone\r\n',
    );
  });

  it("masks the values the user marked secret, even split across chunks", async () => {
    const recorder = new TerminalRecorder({ dir: tempDir(), redactor: createSecretRedactor(() => ['hunter2-is-my-pass']) });
    const file = recorder.start(SESSION, { cols: 80, rows: 24 });
    recorder.output(SESSION, 'value: hunter2-is');
    recorder.output(SESSION, '-my-pass!\r\n');
    await recorder.end(SESSION);
    expect(readRecording(file).events.map((e) => e.data).join('')).toBe('value: ****!\r\n');
  });

  it('records keys typed at a password prompt as * (they are not echoed, so no rule would see them)', async () => {
    const recorder = new TerminalRecorder({ dir: tempDir() });
    const file = recorder.start(SESSION, { cols: 80, rows: 24 });
    recorder.output(SESSION, '$ ');
    recorder.input(SESSION, 'sudo ls\r');
    recorder.output(SESSION, 'sudo ls\r\n[sudo] password for ann: ');
    for (const key of 'hunter2') recorder.input(SESSION, key);
    recorder.input(SESSION, '\r');
    recorder.output(SESSION, '\r\nREADME.md\r\n$ ');
    recorder.input(SESSION, 'ls\r');
    await recorder.end(SESSION);
    const typed = readRecording(file).events.filter((e) => e.code === 'i').map((e) => e.data).join('');
    expect(typed).toBe('sudo ls\r*******\rls\r');
  });
});

