import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { FormError } from '../../components/FormError.js';
import type { TerminalLink } from '../../transport/terminalLink.js';
import type { UiClient } from '../../transport/uiClient.js';
import { useSettings } from '../settings/useSettings.js';
import { PacedWriter } from './pacedWriter.js';
import { openWebLink } from './webLink.js';
import { currentTheme, watchTheme, xtermTheme } from './xtermTheme.js';

/** The host's scrollback default, until its setting (`terminalScrollback`) has loaded. */
const SCROLLBACK_LINES = 10_000;
/** Resize calls to the host at most every 100 ms while a panel is dragged. */
const RESIZE_DEBOUNCE_MS = 100;

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
    const root = document.documentElement;
    const term = new Terminal({
      fontFamily: getComputedStyle(root).getPropertyValue('--mono').trim() || 'monospace',
      fontSize: 12,
      scrollback: SCROLLBACK_LINES,
      cursorBlink: true,
      theme: xtermTheme(currentTheme(root)),
      screenReaderMode: false,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(
      new WebLinksAddon((_event, uri) => {
        openWebLink(uri, (q) => window.confirm(q), (url) => window.open(url, '_blank', 'noopener,noreferrer'));
      }),
    );
    term.open(el);
    const renderer = loadGpuRenderer(term);
    termRef.current = term;
    searchRef.current = search;
    if (new URLSearchParams(window.location.search).has('e2e')) exposeForTests(sessionId, term);

    let isDisposed = false;
    let isStreaming = false;
    let offOutput = () => {};
    let resizeTimer: ReturnType<typeof setTimeout> | null = null;

    const sendSize = (cols: number, rows: number) => {
      if (resizeTimer !== null) clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        resizeTimer = null;
        client.invoke('terminal.resize', { sessionId, cols, rows }).catch(() => {});
      }, RESIZE_DEBOUNCE_MS);
    };

    const fitToPanel = () => {
      // A hidden panel measures 0×0: fitting then would shrink the pty to nothing.
      if (isDisposed || el.clientWidth === 0 || el.clientHeight === 0) return;
      fit.fit();
    };

    async function attach(): Promise<void> {
      offOutput();
      isStreaming = false;
      let reply;
      try {
        reply = await client.invoke('terminal.attach', { sessionId });
      } catch (e) {
        if (!isDisposed) setError(e instanceof Error ? e.message : String(e));
        return;
      }
      if (isDisposed) return;
      if (!reply.ok) {
        setError(reply.message);
        return;
      }
      setError(null);
      term.reset();
      term.resize(reply.cols, reply.rows);
      term.write(reply.snapshot, () => {
        if (isDisposed) return;
        const writer = new PacedWriter({
          write: (data, onParsed) => term.write(data, onParsed),
          ack: (chars) => link.send({ type: 'ack', sessionId, chars }),
        });
        const offLink = link.onOutput(sessionId, (data) => writer.push(data));
        offOutput = () => {
          offLink();
          writer.dispose();
        };
        // The snapshot is on screen: only now may output follow it.
        link.send({ type: 'ready', sessionId });
        isStreaming = true;
        fitToPanel();
        if (term.cols !== reply.cols || term.rows !== reply.rows) sendSize(term.cols, term.rows);
      });
    }

    const onData = term.onData((data) => link.send({ type: 'input', sessionId, data }));
    const onResize = term.onResize(({ cols, rows }) => {
      if (isStreaming) sendSize(cols, rows);
    });
    term.attachCustomKeyEventHandler((event) => {
      if (event.type === 'keydown' && (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
        setIsSearchOpen(true);
        return false;
      }
      return true;
    });
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(fitToPanel);
    });
    observer.observe(el);
    const offTheme = watchTheme(root, (theme) => {
      term.options.theme = xtermTheme(theme);
    });
    // A new connection has no attachments: attach again and get a fresh snapshot.
    let wasDown = false;
    const offConnection = client.onConnectionChange((status) => {
      if (status !== 'connected') wasDown = true;
      else if (wasDown) {
        wasDown = false;
        void attach();
      }
    });
    void attach();
    term.focus();

    return () => {
      isDisposed = true;
      offOutput();
      offConnection();
      offTheme();
      observer.disconnect();
      cancelAnimationFrame(frame);
      if (resizeTimer !== null) clearTimeout(resizeTimer);
      onData.dispose();
      onResize.dispose();
      renderer.dispose();
      forgetForTests(sessionId, term);
      termRef.current = null;
      searchRef.current = null;
      term.dispose();
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

/**
 * Draws the terminal with WebGL when the machine has it: a flood of output then costs the
 * renderer a few textured quads per frame instead of re-laying out rows of DOM spans, which is
 * what bounds the throughput of a busy terminal. Loaded lazily (≈0.2 MB); without WebGL, or
 * when the GPU drops the context, xterm's DOM renderer draws as before.
 */
function loadGpuRenderer(term: Terminal): { dispose(): void } {
  let isDisposed = false;
  let addon: { dispose(): void } | null = null;
  if (!hasHardwareWebgl()) return { dispose() {} };
  void import('@xterm/addon-webgl')
    .then(({ WebglAddon }) => {
      if (isDisposed) return;
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose();
        addon = null;
      });
      term.loadAddon(webgl);
      addon = webgl;
    })
    .catch(() => {
      // No WebGL here (or the chunk did not load): the DOM renderer stays.
    });
  return {
    dispose() {
      isDisposed = true;
      addon?.dispose();
    },
  };
}

/**
 * WebGL drawn by the GPU. A software implementation (SwiftShader, llvmpipe: no GPU, or a GPU
 * the browser blocked) draws a busy terminal several times slower than the DOM renderer.
 */
function hasHardwareWebgl(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !/swiftshader|llvmpipe|softpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

/** `?e2e` only: tests read the screen from the buffer instead of scraping the DOM renderer. */
type TestRegistry = Map<string, Terminal>;
declare global {
  interface Window {
    __flotillaTerminals?: TestRegistry;
  }
}

function exposeForTests(sessionId: string, term: Terminal): void {
  window.__flotillaTerminals ??= new Map();
  window.__flotillaTerminals.set(sessionId, term);
}

function forgetForTests(sessionId: string, term: Terminal): void {
  if (window.__flotillaTerminals?.get(sessionId) === term) window.__flotillaTerminals.delete(sessionId);
}
