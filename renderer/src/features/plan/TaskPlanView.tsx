import type { TaskPlan } from '../../../../shared/model/plan.js';
import { planProgress } from '../../../../shared/model/plan.js';
import { InertText } from '../../components/InertText.js';
import { visibleText } from '../../../../shared/model/visibleText.js';
import './plan.css';

const MARKS: Record<TaskPlan['steps'][number]['status'], string> = { completed: '✓', in_progress: '▸', pending: '○' };
const STATUS_WORDS: Record<TaskPlan['steps'][number]['status'], string> = { completed: 'done', in_progress: 'in progress', pending: 'to do' };

/** The card's one line: "Plan 2/5 · the step in progress". The agent wrote the words: inert. */
export function CardPlanLine({ plan }: { plan: TaskPlan }) {
  const { done, total, current } = planProgress(plan);
  return (
    <p className="card-plan truncate" title={current ? visibleText(current.step) : undefined}>
      <span className="card-plan-count meta-number" aria-label={`Plan: ${done} of ${total} steps done`}>
        {done}/{total}
      </span>
      {current && (
        <>
          {' · '}
          <InertText text={current.step} />
        </>
      )}
    </p>
  );
}

/** The task view's checklist, folded to one summary line until opened. */
export function TaskPlanView({ plan }: { plan: TaskPlan }) {
  const { done, total } = planProgress(plan);
  return (
    <details className="task-plan">
      <summary>
        Plan <span className="meta-number">{done}/{total}</span>
        {plan.explanation && (
          <span className="task-plan-why muted">
            {' · '}
            <InertText text={plan.explanation} />
          </span>
        )}
      </summary>
      <ol className="task-plan-steps">
        {plan.steps.map((step, index) => (
          <li key={index} className="task-plan-step" data-status={step.status}>
            <span className="task-plan-mark" aria-label={STATUS_WORDS[step.status]}>
              {MARKS[step.status]}
            </span>
            <InertText text={step.step} />
          </li>
        ))}
      </ol>
    </details>
  );
}
