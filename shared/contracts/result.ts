import { z } from 'zod';
import { FAILURE_KINDS, type Failure } from './failure.js';

export { FAILURE_KINDS, failure, type Failure, type FailureKind } from './failure.js';

export const FailureKindSchema = z.enum(FAILURE_KINDS);

export const FailureSchema = z.object({
  ok: z.literal(false),
  kind: FailureKindSchema,
  message: z.string(),
  /** For `conflict`: the files that would conflict. */
  files: z.array(z.string()).optional(),
}) satisfies z.ZodType<Failure>;

/** `{ ok: true, ...shape }` or a Failure: the output of every method that can fail as expected. */
export function resultOf<T extends z.ZodRawShape>(shape: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), ...shape }), FailureSchema]);
}
