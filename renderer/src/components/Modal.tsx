import { useEffect, useId, useRef, type ReactNode } from 'react';
import './modal.css';

const FIRST_FIELD = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled])';
const FIRST_BUTTON = 'button:not([disabled])';

/**
 * A modal on the native <dialog>: the browser gives us the dialog role, an inert page
 * behind it, a focus trap and Esc. We only keep React in charge of whether it exists:
 * Esc asks the owner to close instead of closing the element behind React's back.
 */
export function Modal({
  title,
  onClose,
  children,
  className,
  isTitleHidden = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  /** Keeps the title for screen readers only (the palette's input says it all). */
  isTitleHidden?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>(FIRST_FIELD) ?? dialog.querySelector<HTMLElement>(FIRST_BUTTON);
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCloseRef.current();
      }}
      // Chromium may close without a cancelable `cancel` (repeated Esc): follow it. While
      // an effect re-runs (StrictMode) the element is open again, so that close is ignored.
      onClose={() => {
        if (!ref.current?.open) onCloseRef.current();
      }}
    >
      <h2 id={titleId} className={isTitleHidden ? 'visually-hidden' : 'modal-title'}>
        {title}
      </h2>
      {children}
    </dialog>
  );
}
