import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useActions, useStoreApi } from '../../appContext.js';
import { InertText } from '../../components/InertText.js';
import { Modal } from '../../components/Modal.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { paletteItems, searchPalette, type PaletteItem } from './paletteSearch.js';
import './palette.css';

/**
 * Ctrl/Cmd+K: jump to any task by title, repo, branch or id, or run a command. A combobox
 * (the input) owning a listbox; arrows move the active option, Enter runs it.
 */
export function CommandPalette({ onClose }: { onClose: () => void }) {
  const store = useStoreApi();
  const { openDialog, openTask } = useActions();
  // Read once when opened: the list should not reshuffle under the pointer while typing.
  const items = useMemo(() => paletteItems(Object.values(store.getState().tasks)), [store]);
  const [query, setQuery] = useState('');
  const [activeIndex, setActiveIndex] = useState(0);
  const results = useMemo(() => searchPalette(items, query), [items, query]);
  const listId = useId();
  const optionId = (index: number) => `${listId}-option-${index}`;
  const active = Math.min(activeIndex, Math.max(0, results.length - 1));

  function run(item: PaletteItem | undefined) {
    if (!item) return;
    if (item.type === 'command') {
      openDialog(item.id); // replaces the palette in the one dialog slot
      return;
    }
    onClose();
    openTask(item.id);
    // After the board re-renders: bring the card into view and put focus on it.
    requestAnimationFrame(() => {
      const card = document.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(item.id)}"] .card-open`);
      card?.scrollIntoView({ block: 'nearest' });
      card?.focus({ preventScroll: true });
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (results.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const next = (active + step + results.length) % results.length;
      setActiveIndex(next);
      document.getElementById(optionId(next))?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter') {
      event.preventDefault();
      run(results[active]);
    }
  }

  return (
    <Modal title="Command palette" onClose={onClose} className="modal-palette" isTitleHidden>
      <input
        className="palette-input"
        type="text"
        role="combobox"
        aria-label="Search tasks and commands"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results.length > 0 ? optionId(active) : undefined}
        placeholder="Jump to a task by title, repo, branch or id, or run a command…"
        value={query}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          setQuery(e.target.value);
          setActiveIndex(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul className="palette-list" id={listId} role="listbox" aria-label="Results">
        {results.map((item, index) => (
          <li
            key={item.key}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            className={`palette-option ${index === active ? 'is-active' : ''}`}
            onPointerMove={() => index !== active && setActiveIndex(index)}
            onClick={() => run(item)}
          >
            <span className="palette-option-main">
              <span className="truncate">
                <InertText text={item.label} />
              </span>
              {item.type === 'task' && (
                <span className="palette-option-hint mono truncate">
                  <InertText text={item.hint} />
                </span>
              )}
            </span>
            {item.type === 'task' ? <StatusBadge status={item.status} /> : <span className="palette-kind">{item.hint || 'Command'}</span>}
          </li>
        ))}
      </ul>
      {results.length === 0 && <p className="palette-empty">Nothing matches “{query.trim()}”.</p>}
    </Modal>
  );
}
