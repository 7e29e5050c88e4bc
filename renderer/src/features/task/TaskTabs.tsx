import { useId, useRef, type KeyboardEvent } from 'react';

export const TASK_TABS = ['transcript', 'changes', 'terminal'] as const;
export type TaskTab = (typeof TASK_TABS)[number];

const TAB_LABELS: Record<TaskTab, string> = { transcript: 'Transcript', changes: 'Changes', terminal: 'Terminal' };

export function tabIds(baseId: string, tab: TaskTab): { tab: string; panel: string } {
  return { tab: `${baseId}-tab-${tab}`, panel: `${baseId}-panel-${tab}` };
}

/** WAI-ARIA tabs: one tab stop, arrows move between tabs and select them. */
export function TaskTabs({ baseId, active, onSelect }: { baseId: string; active: TaskTab; onSelect: (tab: TaskTab) => void }) {
  const refs = useRef<Partial<Record<TaskTab, HTMLButtonElement | null>>>({});
  const labelId = useId();

  function onKeyDown(event: KeyboardEvent) {
    const index = TASK_TABS.indexOf(active);
    let next: TaskTab | undefined;
    if (event.key === 'ArrowRight') next = TASK_TABS[(index + 1) % TASK_TABS.length];
    else if (event.key === 'ArrowLeft') next = TASK_TABS[(index + TASK_TABS.length - 1) % TASK_TABS.length];
    else if (event.key === 'Home') next = TASK_TABS[0];
    else if (event.key === 'End') next = TASK_TABS[TASK_TABS.length - 1];
    if (!next) return;
    event.preventDefault();
    onSelect(next);
    refs.current[next]?.focus();
  }

  return (
    <div className="tabs" role="tablist" aria-labelledby={labelId} onKeyDown={onKeyDown}>
      <span id={labelId} hidden>
        Task details
      </span>
      {TASK_TABS.map((tab) => {
        const ids = tabIds(baseId, tab);
        const isActive = tab === active;
        return (
          <button
            key={tab}
            ref={(el) => {
              refs.current[tab] = el;
            }}
            type="button"
            role="tab"
            id={ids.tab}
            aria-selected={isActive}
            aria-controls={ids.panel}
            tabIndex={isActive ? 0 : -1}
            className="tab"
            onClick={() => onSelect(tab)}
          >
            {TAB_LABELS[tab]}
          </button>
        );
      })}
    </div>
  );
}
