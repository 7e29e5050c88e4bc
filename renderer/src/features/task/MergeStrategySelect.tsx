import { useId } from 'react';
import { MergeStrategySchema, type MergeStrategy } from '../../../../shared/model/task.js';
import './merge.css';

/** "Merge strategy": a merge commit (the task branch is kept), one squashed commit or a rebase (it is deleted). */
export function MergeStrategySelect({
  value,
  onChange,
  describedBy,
}: {
  value: MergeStrategy;
  onChange: (strategy: MergeStrategy) => void;
  /** The id of the text that says what the chosen strategy does. */
  describedBy?: string;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="merge-label">
        Merge strategy
      </label>
      <select
        id={id}
        className="input input-sm"
        value={value}
        aria-describedby={describedBy}
        onChange={(e) => onChange(MergeStrategySchema.catch('merge').parse(e.target.value))}
      >
        <option value="merge">Merge commit</option>
        <option value="squash">Squash</option>
        <option value="rebase">Rebase</option>
      </select>
    </>
  );
}
