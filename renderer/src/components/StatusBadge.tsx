import type { TaskStatus } from '../../../shared/model/taskLifecycle.js';
import { STATUS_LABELS, STATUS_TONES } from './statusStyle.js';

export function StatusBadge({ status }: { status: TaskStatus }) {
  return (
    <span className={`badge tone-${STATUS_TONES[status]}`} data-status={status}>
      {status === 'running' && <span className="pulse" aria-hidden="true" />}
      {STATUS_LABELS[status]}
    </span>
  );
}
