import fs from 'node:fs';
import zlib from 'node:zlib';

/**
 * Reads a file as lines without ever holding more than one line (plus one read chunk) in
 * memory, so a 1 GB recording streams in constant space. A gzip'ed file (Flotilla's export) is
 * recognised by its magic bytes and decompressed on the way. A line longer than `maxLineBytes` is
 * dropped and reported as oversized instead of growing a buffer without bound.
 */

export type FileLine =
  | { kind: 'line'; text: string; number: number; isTerminated: boolean }
  | { kind: 'oversized'; number: number; bytes: number };

export interface LineReaderOptions {
  /** Called as bytes of the file on disk (compressed or not) are read. */
  onBytes?: (bytesRead: number) => void;
  /** Default 32 MiB: far past any real record (an export splits blobs into 1 MiB parts). */
  maxLineBytes?: number;
}

const READ_CHUNK_BYTES = 1024 * 1024;
const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;
const NEWLINE = 0x0a;

export function isGzipFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return fs.readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

export async function* readLines(file: string, opts: LineReaderOptions = {}): AsyncGenerator<FileLine> {
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const raw = fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  let bytesRead = 0;
  // Counting only: the loop below reads through the async iterator, whose 'readable' listener
  // keeps control of the flow (Node emits 'data' only as it reads), so backpressure holds.
  raw.on('data', (chunk) => {
    bytesRead += chunk.length;
    opts.onBytes?.(bytesRead);
  });
  const source: AsyncIterable<Buffer> = isGzipFile(file) ? raw.pipe(zlib.createGunzip()) : raw;
  if (source !== raw) raw.on('error', (error) => (source as zlib.Gunzip).destroy(error));
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let isOversized = false;
  let number = 0;
  try {
    for await (const chunk of source) {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
        number += 1;
        const piece = chunk.subarray(start, end);
        if (isOversized || pendingBytes + piece.length > maxLineBytes) yield { kind: 'oversized', number, bytes: pendingBytes + piece.length };
        else yield { kind: 'line', text: decode(pending, piece), number, isTerminated: true };
        pending = [];
        pendingBytes = 0;
        isOversized = false;
        start = end + 1;
      }
      const rest = chunk.subarray(start);
      if (rest.length === 0) continue;
      pendingBytes += rest.length;
      if (pendingBytes > maxLineBytes) {
        // Keep counting, stop keeping: the line is reported once its end arrives.
        isOversized = true;
        pending = [];
      } else {
        // A copy: the stream may reuse its chunk's memory.
        pending.push(Buffer.from(rest));
      }
    }
  } finally {
    raw.destroy();
  }
  if (pendingBytes > 0) {
    number += 1;
    if (isOversized) yield { kind: 'oversized', number, bytes: pendingBytes };
    else yield { kind: 'line', text: decode(pending, Buffer.alloc(0)), number, isTerminated: false };
  }
}

function decode(pending: Buffer[], last: Buffer): string {
  const bytes = pending.length === 0 ? last : Buffer.concat([...pending, last]);
  const text = bytes.toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
