import { useEffect, useId, useRef, useState } from 'react';
import { useActions, useAppStore } from '../appContext.js';
import { ALL_REPOS, describeRepoFilter, effectiveRepoIds, toggleRepo } from '../state/repoFilter.js';
import { selectRepoFilter, selectRepos } from '../state/selectors.js';
import './topBar.css';

/**
 * "All repos" or a chosen few. A disclosure with real checkboxes (not a menu): several can be
 * ticked in a row without it closing. Saved in localStorage by the composition root.
 */
export function RepoFilterButton() {
  const repos = useAppStore(selectRepos);
  const filter = useAppStore(selectRepoFilter);
  const { setRepoFilter } = useActions();
  const [isOpen, setIsOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const chosen = effectiveRepoIds(filter, repos);
  const summary = describeRepoFilter(filter, repos);

  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, [isOpen]);

  if (repos.length < 2 && chosen === null) return null;
  return (
    <div
      className="repo-filter"
      ref={rootRef}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && isOpen) {
          event.stopPropagation();
          setIsOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className={`btn btn-quiet ${chosen ? 'is-filtered' : ''}`}
        aria-expanded={isOpen}
        aria-controls={panelId}
        aria-label={`Repos shown: ${summary}`}
        onClick={() => setIsOpen(!isOpen)}
      >
        <span className="repo-filter-text">{summary}</span>
        <span className="caret" aria-hidden="true" />
      </button>
      {isOpen && (
        <div className="popover popup" id={panelId} role="group" aria-label="Repos to show">
          <label className="check-row">
            <input type="checkbox" checked={chosen === null} onChange={() => setRepoFilter(ALL_REPOS)} />
            All repos
          </label>
          <div className="popover-sep" />
          {repos.map((repo) => (
            <label key={repo.id} className="check-row" title={repo.path}>
              <input
                type="checkbox"
                checked={chosen?.has(repo.id) ?? false}
                onChange={() => setRepoFilter(toggleRepo(filter, repo.id, repos))}
              />
              <span className="truncate">{repo.name}</span>
            </label>
          ))}
        </div>
      )}
    </div>
  );
}
