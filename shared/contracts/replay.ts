import { z } from 'zod';
import { DecisionPointSchema } from '../model/decisionPoints.js';
import { TaskEventSchema } from '../model/taskEvents.js';
import { resultOf } from './result.js';

/**
 * Recordings to replay: the live journal's own history (sessions split by idle gaps) and
 * recordings imported from a file, which live in their own tables. Spread into `hostMethods`
 * and `events`. The file format is described in electron/core/replay/FORMAT.md.
 */

export const ReplaySourceSchema = z.enum(['local', 'flotilla', 'codex', 'claude', 'asciicast']);
export type ReplaySource = z.infer<typeof ReplaySourceSchema>;

export const ReplaySummarySchema = z.object({
  /** `local-<first seq>` for a session of the live journal (stable while the journal keeps it); `imp-…` for an import. */
  id: z.string(),
  source: ReplaySourceSchema,
  title: z.string(),
  /** First and last event (ms since the epoch); null for a recording without events. */
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  tasks: z.number().int().nonnegative(),
  events: z.number().int().nonnegative(),
  /** When it was imported; null for the live journal's sessions. */
  importedAt: z.number().nullable(),
});
export type ReplaySummary = z.infer<typeof ReplaySummarySchema>;

export const ReplayTaskSchema = z.object({ id: z.string(), title: z.string(), status: z.string().nullable(), events: z.number().int() });

/** Counts per record type: what an import or export left out, and why in its name. */
export const SkippedSchema = z.record(z.string(), z.number().int().nonnegative());

/** 4096: PATH_MAX on Linux; the host reads and writes the file itself (it runs on the same machine). */
const FilePath = z.string().min(1).max(4096);

export const replayMethods = {
  /** The live journal's sessions (newest first), then imported recordings (newest first). */
  'replay.list': { input: z.object({}), output: z.object({ replays: z.array(ReplaySummarySchema) }) },
  'replay.show': {
    input: z.object({ id: z.string().min(1) }),
    output: resultOf({
      replay: ReplaySummarySchema.extend({
        durationMs: z.number().nonnegative(),
        taskList: z.array(ReplayTaskSchema),
        decisionPoints: z.array(DecisionPointSchema),
        skipped: SkippedSchema,
      }),
    }),
  },
  /**
   * A page of a replay's events in order, after `afterSeq` (omit for the first page), for a player
   * to feed the board's reducers; `nextAfterSeq` is null after the last page.
   */
  'replay.events': {
    input: z.object({ id: z.string().min(1), afterSeq: z.number().int().nonnegative().optional() }),
    output: resultOf({ events: z.array(TaskEventSchema), nextAfterSeq: z.number().int().nullable() }),
  },
  /**
   * Writes one task's events (or every event since `since`, ms since the epoch) and the terminal
   * recordings they refer to into `out` (an absolute path; gzip'ed JSON lines, redacted).
   */
  'replay.export': {
    input: z
      .object({ taskId: z.string().min(1).optional(), since: z.number().nonnegative().optional(), out: FilePath })
      .refine((input) => (input.taskId === undefined) !== (input.since === undefined), 'give exactly one of taskId and since'),
    output: resultOf({ path: z.string(), events: z.number().int(), blobs: z.number().int(), bytes: z.number().int(), skipped: SkippedSchema }),
  },
  /**
   * Imports a file (an absolute path: Flotilla's export, a Codex CLI rollout, a Claude Code
   * transcript or an asciicast v2 recording) as a new replay, all or nothing. `progressId`
   * tags the `replay.onDidProgress` events of this import.
   */
  'replay.import': {
    input: z.object({ path: FilePath, progressId: z.string().min(1).max(100).optional() }),
    output: resultOf({ id: z.string(), format: ReplaySourceSchema, imported: z.number().int(), skipped: z.number().int(), skippedKinds: SkippedSchema }),
  },
} as const;

export const replayEvents = {
  /** An import reading a big file: bytes read so far of `totalBytes` (of the file on disk, compressed or not). */
  'replay.onDidProgress': z.object({
    progressId: z.string(),
    bytesRead: z.number().nonnegative(),
    totalBytes: z.number().nonnegative(),
    records: z.number().int().nonnegative(),
  }),
} as const;
