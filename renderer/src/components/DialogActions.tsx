import type { ReactNode } from 'react';
import { FormError } from './FormError.js';

export interface DialogAction {
  label: string;
  /** primary (the default) or danger: the action deletes something. */
  tone?: 'primary' | 'danger';
  isDisabled?: boolean;
  /** Why it is off, as a tooltip. */
  title?: string;
  /** Without it the button submits the dialog's form. */
  onClick?: () => void;
}

/**
 * The end of a dialog: the error of the last try, an optional note, then Cancel and the one
 * action (right-most, where the eye ends).
 */
export function DialogActions({
  error = null,
  note,
  onCancel,
  action,
}: {
  error?: string | null;
  note?: ReactNode;
  onCancel: () => void;
  action: DialogAction;
}) {
  return (
    <>
      <FormError message={error} />
      <div className="form-actions">
        {note !== undefined && <span className="form-note">{note}</span>}
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button
          type={action.onClick ? 'button' : 'submit'}
          className={`btn btn-${action.tone ?? 'primary'}`}
          disabled={action.isDisabled}
          title={action.title}
          onClick={action.onClick}
        >
          {action.label}
        </button>
      </div>
    </>
  );
}
