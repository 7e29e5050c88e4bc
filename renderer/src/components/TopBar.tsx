import { useActions, useAppStore } from '../appContext.js';
import { needsYouLabel } from '../state/notifications.js';
import { selectDialog, selectNeedsYouCount } from '../state/selectors.js';
import { RepoFilterButton } from './RepoFilterButton.js';
import { ThemeToggle } from './ThemeToggle.js';
import './topBar.css';

/** Ctrl on Linux/Windows, ⌘ on macOS: what the shortcut hints say. */
const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

export function TopBar() {
  const needsYou = useAppStore(selectNeedsYouCount);
  const { openDialog, closeDialog } = useActions();
  const isReplaysOpen = useAppStore(selectDialog) === 'replays';
  const label = needsYouLabel(needsYou);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Flotilla
      </div>
      <span className={`needs-badge ${needsYou > 0 ? 'is-hot' : ''}`} role="status" aria-label={label} title={label}>
        <span className="needs-count" aria-hidden="true">
          {needsYou}
        </span>
        <span aria-hidden="true">{needsYou === 1 ? 'needs you' : 'need you'}</span>
      </span>
      <RepoFilterButton />
      <div className="topbar-spacer" />
      <button
        type="button"
        className="btn btn-quiet palette-hint"
        onClick={() => openDialog('palette')}
        aria-keyshortcuts="Control+K Meta+K"
        title="Jump to a task or run a command"
      >
        <span>Search</span>
        <kbd className="kbd">{MOD}K</kbd>
      </button>
      <button
        type="button"
        className="btn"
        aria-pressed={isReplaysOpen}
        title="Watch recorded sessions again, read-only"
        onClick={() => (isReplaysOpen ? closeDialog() : openDialog('replays'))}
      >
        Replays
      </button>
      <button type="button" className="btn" onClick={() => openDialog('addRepo')}>
        Add repo
      </button>
      <button type="button" className="btn" onClick={() => openDialog('settings')}>
        Settings
      </button>
      <button
        type="button"
        className="btn btn-primary"
        onClick={() => openDialog('newTask')}
        aria-keyshortcuts="Control+N Meta+N"
        title={`New task (${MOD}N)`}
      >
        New task
      </button>
      <ThemeToggle />
    </header>
  );
}
