import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalRecorder, readRecording } from './terminalRecorder.js';

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
});
