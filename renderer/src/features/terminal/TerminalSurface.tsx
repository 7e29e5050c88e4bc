import type { SearchAddon } from '@xterm/addon-search';
import type { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { FormError } from '../../components/FormError.js';
import type { TerminalLink } from '../../transport/terminalLink.js';
import type { UiClient } from '../../transport/uiClient.js';
import { useSettings } from '../settings/useSettings.js';
import { attachSession } from './attachSession.js';
import { followPanelSize } from './followPanelSize.js';
import { openXterm } from './openXterm.js';

/**
 * One live terminal: an xterm attached to a host session. Mounted only while visible: on
 * unmount the xterm is disposed and its stream dropped (late output is acked and discarded
 * by the transport); the next mount attaches again and starts from a fresh snapshot.
 */
export function TerminalSurface({ client, link, sessionId, label }: { client: UiClient; link: TerminalLink; sessionId: string; label: string }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const termRef = useRef<Terminal | null>(null);
  const [isSearchOpen, setIsSearchOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const settings = useSettings(client);
  const scrollback = settings.status === 'ready' ? settings.settings.terminalScrollback : null;

  useEffect(() => {
    const el = hostRef.current;
    if (!el) return;
    const view = openXterm(el, { onFind: () => setIsSearchOpen(true) });
    const { term } = view;
    termRef.current = term;
    searchRef.current = view.search;
    const size = followPanelSize({
      el,
      term,
      fit: view.fit,
      resizePty: (cols, rows) => void client.invoke('terminal.resize', { sessionId, cols, rows }).catch(() => {}),
    });
    const session = attachSession({
      client,
      link,
      sessionId,
      term,
      onDetached: () => size.follow(false),
      onAttached: ({ cols, rows }) => {
        size.follow(true);
        size.fit();
        if (term.cols !== cols || term.rows !== rows) size.send(term.cols, term.rows);
      },
      onError: setError,
    });
    term.focus();

    return () => {
      session.dispose();
      size.dispose();
      termRef.current = null;
      searchRef.current = null;
      view.dispose();
    };
  }, [client, link, sessionId]);

  // The same scrollback as the host's mirror: a snapshot never holds more, and the view keeps as much.
  useEffect(() => {
    if (termRef.current && scrollback !== null) termRef.current.options.scrollback = scrollback;
  }, [scrollback]);

  function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (event.shiftKey) searchRef.current?.findPrevious(query);
      else searchRef.current?.findNext(query);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setIsSearchOpen(false);
      searchRef.current?.clearDecorations();
      termRef.current?.focus();
    }
  }

  return (
    <div className="terminal-surface">
      {isSearchOpen && (
        <div className="terminal-search" role="search">
          <input
            autoFocus
            type="search"
            aria-label={`Search in ${label}`}
            placeholder="Find (Enter next, Shift+Enter previous, Esc close)"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onSearchKey}
          />
        </div>
      )}
      <FormError message={error} />
      <div ref={hostRef} className="terminal-xterm" role="group" aria-label={label} data-session-id={sessionId} />
    </div>
  );
}
