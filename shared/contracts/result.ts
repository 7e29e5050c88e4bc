import { z } from 'zod';

/** Expected failures: the caller shows `message` as is. A throw is a bug, not one of these. */
export const FAILURE_KINDS = [
  'invalid_input',
  'not_found',
  'not_a_repo',
  'no_commits',
  'bad_branch',
  'repo_missing',
  'invalid_state',
  'conflict',
  'checkout_dirty',
  'git_error',
  'sandbox_unavailable',
] as const;
export const FailureKindSchema = z.enum(FAILURE_KINDS);
export type FailureKind = z.infer<typeof FailureKindSchema>;

export const FailureSchema = z.object({
  ok: z.literal(false),
  kind: FailureKindSchema,
  message: z.string(),
  /** For `conflict`: the files that would conflict. */
  files: z.array(z.string()).optional(),
});
export type Failure = z.infer<typeof FailureSchema>;

/** `{ ok: true, ...shape }` or a Failure: the output of every method that can fail as expected. */
export function resultOf<T extends z.ZodRawShape>(shape: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), ...shape }), FailureSchema]);
}

export function failure(kind: FailureKind, message: string, files?: string[]): Failure {
  return files ? { ok: false, kind, message, files } : { ok: false, kind, message };
}
