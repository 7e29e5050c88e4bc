import { useId } from 'react';
import { APPROVAL_OPTIONS, MODE_OPTIONS, effectiveNetwork, optionOf, valueIn, withMode, type PolicyChoice } from './policyChoices.js';
import './approvals.css';

/**
 * The New task dialog's "Sandbox" group: mode, network, approval. Choosing full access shows
 * what it means in red and asks for an explicit confirmation; the dialog keeps Create off
 * until it is given (see `policyBlocker`).
 */
export function PolicyFields({ choice, onChange }: { choice: PolicyChoice; onChange: (next: PolicyChoice) => void }) {
  const modeId = useId();
  const modeHintId = useId();
  const approvalId = useId();
  const approvalHintId = useId();
  const networkHintId = useId();
  const warningId = useId();
  const isFullAccess = choice.mode === 'full-access';
  const hasNetwork = effectiveNetwork(choice);

  return (
    <fieldset className="policy">
      <legend className="policy-legend">Sandbox</legend>
      <div className="field-row">
        <div className="field">
          <label className="field-label" htmlFor={modeId}>
            Sandbox mode
          </label>
          <select
            id={modeId}
            className={`input ${isFullAccess ? 'is-danger' : ''}`}
            value={choice.mode}
            aria-describedby={isFullAccess ? warningId : modeHintId}
            onChange={(e) => {
              const mode = valueIn(MODE_OPTIONS, e.target.value);
              if (mode) onChange(withMode(choice, mode));
            }}
          >
            {MODE_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          {!isFullAccess && (
            <p className="field-hint" id={modeHintId}>
              {optionOf(MODE_OPTIONS, choice.mode).hint}
            </p>
          )}
        </div>
        <div className="field">
          <label className="field-label" htmlFor={approvalId}>
            Approval
          </label>
          <select
            id={approvalId}
            className="input"
            value={choice.approval}
            aria-describedby={approvalHintId}
            onChange={(e) => {
              const approval = valueIn(APPROVAL_OPTIONS, e.target.value);
              if (approval) onChange({ ...choice, approval });
            }}
          >
            {APPROVAL_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          <p className="field-hint" id={approvalHintId}>
            {optionOf(APPROVAL_OPTIONS, choice.approval).hint}
          </p>
        </div>
      </div>
      <label className="check-row check-row-field">
        <input
          type="checkbox"
          checked={hasNetwork}
          disabled={isFullAccess}
          aria-describedby={networkHintId}
          onChange={(e) => onChange({ ...choice, allowNetwork: e.target.checked })}
        />
        <span>Allow network for this task</span>
        <span className="field-optional" id={networkHintId}>
          {isFullAccess
            ? '— always on without a sandbox'
            : hasNetwork
              ? '— commands can reach the internet and your local network'
              : '— off: commands have no network unless you approve a request'}
        </span>
      </label>
      {isFullAccess && (
        <div className="policy-warning" id={warningId}>
          <p className="policy-warning-text">
            <strong>No sandbox.</strong> The agent’s commands run as you: they can read your SSH keys and tokens, change or delete
            any of your files, and use the network. Choose this only for a repo and a prompt you trust completely.
          </p>
          <label className="check-row check-row-field policy-confirm">
            <input
              type="checkbox"
              checked={choice.isFullAccessConfirmed}
              onChange={(e) => onChange({ ...choice, isFullAccessConfirmed: e.target.checked })}
            />
            <span>I understand the agent&apos;s commands run with my full permissions</span>
          </label>
        </div>
      )}
    </fieldset>
  );
}
