import { useCallback, useState } from 'react';
import { errorMessage } from '../state/startSync.js';

/** What a contract method answers: its data, or an expected failure in words for the user. */
export type CallReply = { ok: true } | { ok: false; message: string };

/** A call that did not succeed: the host said why, or the transport threw. */
export type CallFailure = { ok: false; message: string };

export interface Call {
  /** Runs one call: `isBusy` meanwhile; its failure, expected or thrown, becomes `error`. */
  run<R extends CallReply>(call: () => Promise<R>): Promise<R | CallFailure>;
  isBusy: boolean;
  /** The last failure, shown as is (FormError); null once a new call starts. */
  error: string | null;
  /** For what the control finds wrong before calling (an empty field). */
  setError: (message: string | null) => void;
}

/** The busy flag and error of a control that calls the host: a dialog's submit, a card's button. */
export function useCall(): Call {
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(async <R extends CallReply>(call: () => Promise<R>): Promise<R | CallFailure> => {
    setIsBusy(true);
    setError(null);
    let result: R | CallFailure;
    try {
      result = await call();
    } catch (e) {
      result = { ok: false, message: errorMessage(e) };
    }
    // The control may be gone (a dialog closed on success, a card moved): React ignores updates to it.
    setIsBusy(false);
    if (!result.ok) setError((result as CallFailure).message);
    return result;
  }, []);

  return { run, isBusy, error, setError };
}
