import crypto from 'node:crypto';
import { isRecord } from '../../util/isRecord.js';
import type { BlobWriter } from '../importSink.js';
import { redactCastLine } from '../redactCastLine.js';
import { blobRef } from '../replayFormat.js';
import { importedTask, parseJsonLine, type Importer, type ImporterContext } from './importer.js';

/**
 * An asciicast v2 recording (`.cast`, what asciinema and Flotilla's own terminal recorder write):
 * a header line `{ version: 2, width, height, timestamp?, title?, command? }`, then
 * `[seconds, code, data]` lines ("o" output, "i" input, "r" resize, "m" marker). It becomes one
 * task with one terminal whose recording is the file itself (redacted line by line), stored as
 * a blob, exactly as a live terminal's recording is referred to by the journal.
 */

export function isAsciicastHeader(value: unknown): boolean {
  return isRecord(value) && value.version === 2 && typeof value.width === 'number' && typeof value.height === 'number';
}

export class AsciicastImporter implements Importer {
  readonly format = 'asciicast' as const;
  private header: Record<string, unknown> | null = null;
  private readonly blob: BlobWriter;
  private lastSeconds = 0;
  private frames = 0;

  constructor(private readonly ctx: ImporterContext) {
    this.blob = ctx.sink.openBlob();
  }

  line(text: string, _number: number, isTerminated: boolean): void {
    if (text.trim() === '') return;
    const record = parseJsonLine(text);
    if (!this.header) {
      // The dispatcher checked the first line is a v2 header.
      this.header = isRecord(record) ? record : {};
      this.blob.write(`${redactCastLine(text, this.ctx.redact)}\n`);
      return;
    }
    if (!Array.isArray(record) || typeof record[0] !== 'number' || typeof record[1] !== 'string' || typeof record[2] !== 'string') {
      this.ctx.sink.skip(isTerminated ? 'not an asciicast event' : 'torn last line');
      return;
    }
    if (!['o', 'i', 'r', 'm'].includes(record[1])) {
      this.ctx.sink.skip(`event code "${record[1].slice(0, 8)}"`);
      return;
    }
    this.lastSeconds = Math.max(this.lastSeconds, record[0]);
    this.frames += 1;
    this.blob.write(`${redactCastLine(text, this.ctx.redact)}\n`);
  }

  finish(): string {
    const header = this.header ?? {};
    const { sha256 } = this.blob.close();
    const startedAt = typeof header.timestamp === 'number' ? header.timestamp * 1000 : this.ctx.fileTime - Math.round(this.lastSeconds * 1000);
    const title = typeof header.title === 'string' && header.title.trim() !== '' ? header.title.trim() : `Terminal recording ${this.ctx.fileName}`;
    const taskId = `cast-${sha256.slice(0, 12)}`;
    const task = importedTask({ id: taskId, title, prompt: typeof header.command === 'string' ? header.command : '', cwd: '', model: '', at: startedAt });
    const sink = this.ctx.sink;
    sink.event(taskId, startedAt, { kind: 'task_created', task });
    sink.event(taskId, startedAt, { kind: 'terminal_recorded', sessionId: crypto.randomUUID(), terminal: 'unsandboxed', recording: blobRef(sha256) });
    const endedAt = startedAt + Math.round(this.lastSeconds * 1000);
    sink.event(taskId, endedAt, { kind: 'status_changed', from: 'running', to: 'review', reason: `recording ended (${this.frames} events)` });
    return title;
  }
}
