import type { KeyboardEvent, ReactNode } from 'react';

/**
 * A question in the Disk tab before something is deleted: the words, the action, and a way
 * out. Escape takes the way out (and only that: not the whole Settings dialog). Focus starts on
 * `autoFocus`: the action when it is the expected next step, the way out when it loses work.
 */
export function DiskConfirm({
  label,
  children,
  action,
  cancel,
  autoFocus,
  onConfirm,
  onCancel,
}: {
  /** The group's accessible name: the question. */
  label: string;
  children: ReactNode;
  action: { label: string; tone: 'primary' | 'danger' };
  cancel: string;
  autoFocus: 'action' | 'cancel';
  onConfirm: () => void;
  onCancel: () => void;
}) {
  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    event.preventDefault();
    onCancel();
  }

  return (
    <div className="confirm-strip disk-confirm" role="group" aria-label={label} onKeyDown={onKeyDown}>
      <span>{children}</span>
      <button type="button" className={`btn btn-sm btn-${action.tone}`} onClick={onConfirm} autoFocus={autoFocus === 'action'}>
        {action.label}
      </button>
      <button type="button" className="btn btn-sm" onClick={onCancel} autoFocus={autoFocus === 'cancel'}>
        {cancel}
      </button>
    </div>
  );
}
