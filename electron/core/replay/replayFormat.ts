import { z } from 'zod';

/**
 * Flotilla's replay file (see FORMAT.md beside this file): gzip'ed JSON lines. A header line,
 * then one line per journal event, then the terminal recordings the events refer to in parts
 * of about 1 MiB, then an end line whose counts let a reader tell a whole file from a cut one.
 */

export const REPLAY_FORMAT = 'flotilla-replay';
export const REPLAY_FORMAT_VERSION = 1;

/** 1 MiB: a part is one line; readers keep one line in memory at a time. */
export const BLOB_PART_BYTES = 1024 * 1024;

/** How an event refers to a recording inside a replay: `blob:sha256:<hex>`. */
export const BLOB_REF_PREFIX = 'blob:sha256:';
export function blobRef(sha256: string): string {
  return `${BLOB_REF_PREFIX}${sha256}`;
}
/** A recording referred to by a journal event that is gone from disk (retention, a user's rm). */
export const MISSING_RECORDING = 'blob:missing';
export function blobOfRef(ref: string): string | null {
  return ref.startsWith(BLOB_REF_PREFIX) && /^[0-9a-f]{64}$/.test(ref.slice(BLOB_REF_PREFIX.length)) ? ref.slice(BLOB_REF_PREFIX.length) : null;
}

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const BlobEntrySchema = z.object({
  sha256: Sha256,
  /** Bytes of the whole recording. */
  size: z.number().int().nonnegative(),
  parts: z.number().int().nonnegative(),
  mediaType: z.string(),
});
export type BlobEntry = z.infer<typeof BlobEntrySchema>;

export const HeaderLineSchema = z.object({
  format: z.literal(REPLAY_FORMAT),
  version: z.number().int().positive(),
  createdAt: z.number(),
  flotillaVersion: z.string(),
  /** What was exported: one task, or everything since a time (ms since the epoch). */
  selection: z.union([z.object({ taskId: z.string() }), z.object({ since: z.number() })]),
  title: z.string(),
  events: z.number().int().nonnegative(),
  blobs: z.array(BlobEntrySchema),
});
export type HeaderLine = z.infer<typeof HeaderLineSchema>;

/** `body` is a TaskEvent body of the writer's Flotilla; a reader skips kinds it does not know. */
export const EventLineSchema = z.object({
  type: z.literal('event'),
  seq: z.number().int(),
  taskId: z.string(),
  at: z.number(),
  body: z.object({ kind: z.string() }).passthrough(),
});

/** One part of a recording, as UTF-8 text (asciicast is text): parts in order, concatenated, are the recording. */
export const BlobPartLineSchema = z.object({ type: z.literal('blob_part'), sha256: Sha256, part: z.number().int().nonnegative(), data: z.string() });

export const EndLineSchema = z.object({ type: z.literal('end'), events: z.number().int().nonnegative(), blobParts: z.number().int().nonnegative() });
