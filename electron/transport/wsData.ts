import type { RawData } from 'ws';

/** How `ws` hands over a message, on both ends (the server's bridge and the CLI's socket). */

/** A `ws` message as bytes, whichever form `ws` delivered it in. */
export function rawBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/** A `ws` text message as a string. */
export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
