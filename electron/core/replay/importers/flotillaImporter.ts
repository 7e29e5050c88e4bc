import crypto from 'node:crypto';
import { TaskEventBodySchema } from '../../../../shared/model/taskEvents.js';
import { isRecord } from '../../util/isRecord.js';
import type { BlobWriter } from '../importSink.js';
import { redactCastLine } from '../redactCastLine.js';
import {
  BlobPartLineSchema,
  EndLineSchema,
  EventLineSchema,
  HeaderLineSchema,
  REPLAY_FORMAT,
  REPLAY_FORMAT_VERSION,
  MISSING_RECORDING,
  blobOfRef,
  blobRef,
  type HeaderLine,
} from '../replayFormat.js';
import { ImportError, parseJsonLine, type Importer, type ImporterContext } from './importer.js';

/**
 * Flotilla's own replay file (replayFormat.ts, FORMAT.md). Unlike another tool's log, it says how
 * long it is (the end line), so a cut file is refused whole rather than imported in part: a
 * recording that silently lacks its last hour would mislead a trainee.
 */

export function isFlotillaHeader(value: unknown): boolean {
  return isRecord(value) && value.format === REPLAY_FORMAT;
}

interface OpenBlob {
  sha256: string;
  nextPart: number;
  raw: crypto.Hash;
  writer: BlobWriter;
}

export class FlotillaImporter implements Importer {
  readonly format = 'flotilla' as const;
  private header: HeaderLine | null = null;
  private blob: OpenBlob | null = null;
  private readonly receivedBlobs = new Set<string>();
  private events = 0;
  private blobParts = 0;
  private hasEnded = false;

  constructor(private readonly ctx: ImporterContext) {}

  line(text: string, number: number, isTerminated: boolean): void {
    const record = parseJsonLine(text);
    if (!this.header) return this.readHeader(record);
    if (this.hasEnded) throw new ImportError(`line ${number} follows the end record: the file is corrupt`);
    if (!isRecord(record)) {
      if (!isTerminated) throw new ImportError(`the file is cut short at line ${number} (truncated?)`);
      throw new ImportError(`line ${number} is not JSON: the file is corrupt`);
    }
    switch (record.type) {
      case 'event':
        return this.readEvent(record, number);
      case 'blob_part':
        return this.readBlobPart(record, number);
      case 'end':
        return this.readEnd(record, number);
      default:
        this.ctx.sink.skip(`line type ${String(record.type).slice(0, 40)}`);
    }
  }

  finish(): string {
    if (!this.header) throw new ImportError('the file has no header');
    if (!this.hasEnded) throw new ImportError(`the file is cut short: no end record after ${this.events} events (truncated?)`);
    return this.header.title;
  }

  private readHeader(record: unknown): void {
    const parsed = HeaderLineSchema.safeParse(record);
    if (!parsed.success) throw new ImportError('the Flotilla replay header is malformed');
    if (parsed.data.version > REPLAY_FORMAT_VERSION) {
      throw new ImportError(`the file was written by a newer Flotilla (format version ${parsed.data.version}; this one reads ${REPLAY_FORMAT_VERSION})`);
    }
    this.header = parsed.data;
  }

  private readEvent(record: Record<string, unknown>, number: number): void {
    const line = EventLineSchema.safeParse(record);
    if (!line.success) throw new ImportError(`line ${number} is not a valid event: the file is corrupt`);
    this.events += 1;
    const body = TaskEventBodySchema.safeParse(line.data.body);
    if (!body.success) {
      // A newer Flotilla's kind of event, or a shape this one does not read: skipped, counted by kind.
      this.ctx.sink.skip(`event ${line.data.body.kind.slice(0, 40)}`);
      return;
    }
    // A recording is referred to by hash, inside this file: never by a path on the importing machine.
    const event = body.data.kind === 'terminal_recorded' && blobOfRef(body.data.recording) === null ? { ...body.data, recording: MISSING_RECORDING } : body.data;
    this.ctx.sink.event(line.data.taskId, line.data.at, event, line.data.seq);
  }

  private readBlobPart(record: Record<string, unknown>, number: number): void {
    const line = BlobPartLineSchema.safeParse(record);
    if (!line.success) throw new ImportError(`line ${number} is not a valid recording part: the file is corrupt`);
    const { sha256, part, data } = line.data;
    if (this.blob && this.blob.sha256 !== sha256) this.closeBlob();
    if (!this.blob) {
      if (!this.header?.blobs.some((blob) => blob.sha256 === sha256)) throw new ImportError(`line ${number} is part of a recording the header does not list`);
      this.blob = { sha256, nextPart: 0, raw: crypto.createHash('sha256'), writer: this.ctx.sink.openBlob() };
    }
    if (part !== this.blob.nextPart) throw new ImportError(`recording ${sha256.slice(0, 12)} has part ${part} where part ${this.blob.nextPart} belongs: the file is corrupt`);
    this.blob.nextPart += 1;
    this.blobParts += 1;
    this.blob.raw.update(data, 'utf8');
    // Redacted again on the way in (an older Flotilla's export may predate a rule): whole lines.
    this.blob.writer.write(data.split('\n').map((castLine) => (castLine === '' ? castLine : redactCastLine(castLine, this.ctx.redact))).join('\n'));
  }

  private closeBlob(): void {
    const blob = this.blob;
    if (!blob) return;
    this.blob = null;
    const stored = blob.writer.close();
    if (blob.raw.digest('hex') !== blob.sha256) throw new ImportError(`recording ${blob.sha256.slice(0, 12)} does not match its sha256: the file is corrupt`);
    if (stored.sha256 !== blob.sha256) this.ctx.sink.renameBlobRef(blobRef(blob.sha256), blobRef(stored.sha256));
    this.receivedBlobs.add(blob.sha256);
  }

  private readEnd(record: Record<string, unknown>, number: number): void {
    const end = EndLineSchema.safeParse(record);
    if (!end.success) throw new ImportError(`line ${number} is not a valid end record: the file is corrupt`);
    this.closeBlob();
    if (end.data.events !== this.events || end.data.blobParts !== this.blobParts) {
      throw new ImportError(`the end record counts ${end.data.events} events and ${end.data.blobParts} recording parts, the file holds ${this.events} and ${this.blobParts}: it is corrupt`);
    }
    const missing = (this.header?.blobs ?? []).filter((blob) => !this.receivedBlobs.has(blob.sha256));
    if (missing.length > 0) throw new ImportError(`${missing.length} recording(s) the header lists are missing: the file is corrupt`);
    this.hasEnded = true;
  }
}
