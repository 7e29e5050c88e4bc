import { useActions, useAppStore } from '../appContext.js';
import { selectNeedsYouCount } from '../state/selectors.js';
import { ThemeToggle } from './ThemeToggle.js';

export function TopBar() {
  const needsYou = useAppStore(selectNeedsYouCount);
  const { openDialog } = useActions();
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Flotilla
      </div>
      <span
        className={`needs-badge ${needsYou > 0 ? 'is-hot' : ''}`}
        role="status"
        aria-label={`${needsYou} tasks need you`}
        title={`${needsYou} tasks need you`}
      >
        <span className="needs-count">{needsYou}</span> need you
      </span>
      <div className="topbar-spacer" />
      <button type="button" className="btn" onClick={() => openDialog('addRepo')}>
        Add repo
      </button>
      <button type="button" className="btn btn-primary" onClick={() => openDialog('newTask')}>
        New task
      </button>
      <ThemeToggle />
    </header>
  );
}
