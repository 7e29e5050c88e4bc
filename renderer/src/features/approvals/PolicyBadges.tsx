import type { Task } from '../../../../shared/model/task.js';
import { policyBadges } from './approvalText.js';
import './approvals.css';

/** What is unusual about a task's sandbox, as small badges; nothing for the default policy. */
export function PolicyBadges({ task }: { task: Pick<Task, 'policy' | 'grants'> }) {
  const badges = policyBadges(task);
  if (badges.length === 0) return null;
  return (
    <>
      {badges.map((badge) => (
        <span key={badge.key} className={`badge tone-${badge.tone} policy-badge`} data-policy={badge.key} title={badge.title}>
          {badge.label}
        </span>
      ))}
    </>
  );
}
