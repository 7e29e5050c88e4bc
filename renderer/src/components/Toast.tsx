import { useEffect } from 'react';
import { useActions, useAppStore } from '../appContext.js';
import { selectToast } from '../state/selectors.js';
import { InertText } from './InertText.js';
import './toast.css';

/** 4 s: long enough to read a sentence twice; it also goes on the next toast. */
const TOAST_MS = 4_000;

/** One short message at the bottom, e.g. why a drop was refused; read out politely. */
export function Toast() {
  const toast = useAppStore(selectToast);
  const { dismissToast } = useActions();
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => dismissToast(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast, dismissToast]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div className="toast" key={toast.id}>
          {/* Toasts quote task titles and the host's errors, which may quote file names. */}
          <span>
            <InertText text={toast.text} />
          </span>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
