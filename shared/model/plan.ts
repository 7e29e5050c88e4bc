import { z } from 'zod';

/** One step of the agent's plan (its `update_plan` tool, as in Codex). */
export const PlanStepSchema = z.object({
  step: z.string(),
  status: z.enum(['pending', 'in_progress', 'completed']),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

/** The agent's checklist for its task, shown on the card and in the task view. */
export const TaskPlanSchema = z.object({
  steps: z.array(PlanStepSchema),
  /** Why the plan changed, in the agent's words; null when it gave none. */
  explanation: z.string().nullable(),
});
export type TaskPlan = z.infer<typeof TaskPlanSchema>;

/** "2/5": steps completed out of all. */
export function planProgress(plan: TaskPlan): { done: number; total: number; current: PlanStep | null } {
  const done = plan.steps.filter((step) => step.status === 'completed').length;
  const current = plan.steps.find((step) => step.status === 'in_progress') ?? plan.steps.find((step) => step.status === 'pending') ?? null;
  return { done, total: plan.steps.length, current };
}
