import type { ITheme } from '@xterm/xterm';

export type ResolvedTheme = 'light' | 'dark';

// Background and text match the app's --surface/--text; ANSI colours are picked for contrast
// on each background (a light theme needs darker yellow and cyan than a dark one).
const LIGHT: ITheme = {
  background: '#ffffff',
  foreground: '#1c1c21',
  cursor: '#1c1c21',
  cursorAccent: '#ffffff',
  selectionBackground: '#b9d3f5',
  scrollbarSliderBackground: 'rgba(28, 28, 33, 0.18)',
  scrollbarSliderHoverBackground: 'rgba(28, 28, 33, 0.3)',
  scrollbarSliderActiveBackground: 'rgba(28, 28, 33, 0.4)',
  black: '#1c1c21',
  red: '#c0283b',
  green: '#1f7a3a',
  yellow: '#8a6100',
  blue: '#1f5fbf',
  magenta: '#8a3ab9',
  cyan: '#0f7285',
  white: '#6f6f7a',
  brightBlack: '#55555f',
  brightRed: '#d9364a',
  brightGreen: '#268c45',
  brightYellow: '#a37300',
  brightBlue: '#2b6fd6',
  brightMagenta: '#9c47cc',
  brightCyan: '#138599',
  brightWhite: '#8a8a94',
};

const DARK: ITheme = {
  background: '#18181b',
  foreground: '#e6e6ea',
  cursor: '#e6e6ea',
  cursorAccent: '#18181b',
  selectionBackground: '#3a4a66',
  scrollbarSliderBackground: 'rgba(230, 230, 234, 0.16)',
  scrollbarSliderHoverBackground: 'rgba(230, 230, 234, 0.26)',
  scrollbarSliderActiveBackground: 'rgba(230, 230, 234, 0.36)',
  black: '#2a2a30',
  red: '#f27a86',
  green: '#6fd18b',
  yellow: '#e8c46a',
  blue: '#7aa9f2',
  magenta: '#c99af0',
  cyan: '#6fd0e0',
  white: '#c8c8d0',
  brightBlack: '#6f6f7a',
  brightRed: '#ff9aa4',
  brightGreen: '#8ee3a6',
  brightYellow: '#f5d88a',
  brightBlue: '#9cc1ff',
  brightMagenta: '#dcb6ff',
  brightCyan: '#94e2ee',
  brightWhite: '#ffffff',
};

export function xtermTheme(theme: ResolvedTheme): ITheme {
  return theme === 'dark' ? DARK : LIGHT;
}

/** bindTheme (applyTheme.ts) keeps the resolved theme on <html data-theme>. */
export function currentTheme(root: HTMLElement): ResolvedTheme {
  return root.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** Calls `listener` whenever the page's resolved theme changes; returns a disposer. */
export function watchTheme(root: HTMLElement, listener: (theme: ResolvedTheme) => void): () => void {
  const observer = new MutationObserver(() => listener(currentTheme(root)));
  observer.observe(root, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
