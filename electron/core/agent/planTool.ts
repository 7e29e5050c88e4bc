import type { FunctionTool } from 'openai/resources/responses/responses';
import type { TaskPlan } from '../../../shared/model/plan.js';
import type { ToolArguments } from './editTools.js';

/** The agent's checklist, as Codex's `update_plan`: shown on the card and in the task view. */
export const UPDATE_PLAN_TOOL: FunctionTool = {
  type: 'function',
  name: 'update_plan',
  description:
    'Keep a short plan of the task for the user: the whole list of steps each time, each "pending", "in_progress" (at most one) or "completed". ' +
    'Update it as you go; skip it for a task of one or two steps.',
  parameters: {
    type: 'object',
    properties: {
      explanation: { type: 'string', description: 'Why the plan changed (optional).' },
      plan: {
        type: 'array',
        items: {
          type: 'object',
          properties: { step: { type: 'string' }, status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] } },
          required: ['step', 'status'],
          additionalProperties: false,
        },
      },
    },
    required: ['plan'],
    additionalProperties: false,
  },
  strict: false,
};

/** 50 steps of 300 chars: a checklist, not a document. */
const MAX_STEPS = 50;
const MAX_STEP_CHARS = 300;
const STATUSES = new Set(['pending', 'in_progress', 'completed']);

export function parsePlanCall(argumentsJson: string): ToolArguments<TaskPlan> {
  let args: unknown;
  try {
    args = JSON.parse(argumentsJson);
  } catch {
    return { isValid: false, error: 'error: the update_plan arguments are not valid JSON; send {"plan": [{"step": "…", "status": "pending"}]}.' };
  }
  const plan = typeof args === 'object' && args !== null ? (args as Record<string, unknown>).plan : undefined;
  if (!Array.isArray(plan) || plan.length === 0 || plan.length > MAX_STEPS) {
    return { isValid: false, error: `error: "plan" must be a list of 1 to ${MAX_STEPS} steps.` };
  }
  const steps: TaskPlan['steps'] = [];
  for (const item of plan) {
    const step = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    if (typeof step.step !== 'string' || step.step.trim() === '' || typeof step.status !== 'string' || !STATUSES.has(step.status)) {
      return { isValid: false, error: 'error: each step is {"step": "<text>", "status": "pending" | "in_progress" | "completed"}.' };
    }
    steps.push({ step: step.step.trim().slice(0, MAX_STEP_CHARS), status: step.status as TaskPlan['steps'][number]['status'] });
  }
  if (steps.filter((step) => step.status === 'in_progress').length > 1) return { isValid: false, error: 'error: at most one step can be "in_progress".' };
  const explanation = (args as Record<string, unknown>).explanation;
  return { isValid: true, value: { steps, explanation: typeof explanation === 'string' && explanation.trim() ? explanation.trim().slice(0, MAX_STEP_CHARS) : null } };
}
