import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { openWebLink } from './webLink.js';
import { currentTheme, watchTheme, xtermTheme } from './xtermTheme.js';

/** The host's scrollback default, until its setting (`terminalScrollback`) has loaded. */
const SCROLLBACK_LINES = 10_000;

export interface XtermView {
  term: Terminal;
  fit: FitAddon;
  search: SearchAddon;
  dispose(): void;
}

/**
 * An xterm drawn into `el`, in the app's mono font and theme (following theme switches), with
 * fit, search and confirmed web links, drawn by the GPU where there is one. Ctrl/Cmd+F asks for
 * the search field (`onFind`) instead of reaching the shell.
 */
export function openXterm(el: HTMLElement, { onFind }: { onFind: () => void }): XtermView {
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
  term.attachCustomKeyEventHandler((event) => {
    if (event.type === 'keydown' && (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
      onFind();
      return false;
    }
    return true;
  });
  const offTheme = watchTheme(root, (theme) => {
    term.options.theme = xtermTheme(theme);
  });
  return {
    term,
    fit,
    search,
    dispose() {
      offTheme();
      renderer.dispose();
      term.dispose();
    },
  };
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
