import type { Page } from 'playwright-core';

/**
 * The shown terminal's screen as the user sees it: the rows xterm draws in the page, each
 * without its trailing blanks, top to bottom. (The browser tests run without a GPU, so xterm
 * draws with its DOM renderer: one element per row, one span per run of equal style.)
 */
export function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const rows = Array.from(document.querySelectorAll('.terminal-xterm .xterm-rows > div'));
    return rows.map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n');
  });
}
