import { useAppStore } from '../appContext.js';
import { selectConnection, selectLoadError } from '../state/selectors.js';
import './banner.css';

/** Slim strips under the top bar: the link state and a failed board load. */
export function ConnectionBanner() {
  const connection = useAppStore(selectConnection);
  const loadError = useAppStore(selectLoadError);
  return (
    <>
      {connection === 'reconnecting' && (
        <div className="banner tone-attention" role="status">
          Disconnected — reconnecting…
        </div>
      )}
      {loadError !== null && (
        <div className="banner tone-danger" role="alert">
          {loadError}
        </div>
      )}
    </>
  );
}
