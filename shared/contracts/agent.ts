import { z } from 'zod';
import { resultOf } from './result.js';

/** One instruction file a task's next turn gets (electron/core/agent/agentInstructions.ts). */
export const InstructionSourceSchema = z.object({
  scope: z.enum(['global', 'repo']),
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  isTruncated: z.boolean(),
  text: z.string(),
});
export type InstructionSourceView = z.infer<typeof InstructionSourceSchema>;

/** The built-in agent's configuration as a task sees it. Spread into `hostMethods`. */
export const agentMethods = {
  /** The instruction files in effect for the task's next turn: global AGENTS.md, then the repo's, as capped. */
  'tasks.instructions': {
    input: z.object({ id: z.string().min(1) }),
    output: resultOf({ sources: z.array(InstructionSourceSchema) }),
  },
} as const;
