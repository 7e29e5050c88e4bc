import { useRef, type KeyboardEvent } from 'react';

/** The element ids of one tab and its panel, derived from a base id (React's useId). */
export function tabIds(baseId: string, tab: string): { tab: string; panel: string } {
  return { tab: `${baseId}-tab-${tab}`, panel: `${baseId}-panel-${tab}` };
}

/**
 * WAI-ARIA tabs: one tab stop (the selected tab); arrows, Home and End move between the tabs and
 * select them. The panels are the caller's, with the ids from `tabIds(baseId, tab)`.
 */
export function TabList<Tab extends string>({
  tabs,
  labels,
  active,
  onSelect,
  baseId,
  label,
  className = 'tabs',
}: {
  tabs: readonly Tab[];
  labels: Record<Tab, string>;
  active: Tab;
  onSelect: (tab: Tab) => void;
  baseId: string;
  /** The accessible name of the tab list. */
  label: string;
  className?: string;
}) {
  const refs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});

  function onKeyDown(event: KeyboardEvent) {
    const index = tabs.indexOf(active);
    const count = tabs.length;
    const targets: Record<string, Tab | undefined> = {
      ArrowRight: tabs[(index + 1) % count],
      ArrowLeft: tabs[(index + count - 1) % count],
      Home: tabs[0],
      End: tabs[count - 1],
    };
    const next = targets[event.key];
    if (!next) return;
    event.preventDefault();
    onSelect(next);
    refs.current[next]?.focus();
  }

  return (
    <div className={className} role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
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
            {labels[tab]}
          </button>
        );
      })}
    </div>
  );
}
