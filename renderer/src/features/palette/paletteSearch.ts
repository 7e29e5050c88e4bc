import { MENU_ACTION_SPECS, shortcutText } from '../../../../shared/contracts/menuActions.js';
import type { Task } from '../../../../shared/model/task.js';
import type { TaskStatus } from '../../../../shared/model/taskLifecycle.js';

export const PALETTE_COMMANDS = [
  { id: 'newTask', label: 'New task', hint: shortcutText(MENU_ACTION_SPECS.newTask.accelerator) },
  { id: 'addRepo', label: 'Add repo', hint: '' },
  { id: 'settings', label: 'Settings', hint: shortcutText(MENU_ACTION_SPECS.settings.accelerator) },
  { id: 'replays', label: 'Replays', hint: '' },
] as const;
export type PaletteCommandId = (typeof PALETTE_COMMANDS)[number]['id'];

export type PaletteItem =
  | { type: 'command'; key: string; id: PaletteCommandId; label: string; hint: string }
  | { type: 'task'; key: string; id: string; label: string; hint: string; status: TaskStatus; updatedAt: number };

/** 50 rows: more than fit on screen; typing narrows faster than scrolling. */
export const PALETTE_LIMIT = 50;

export function paletteItems(tasks: Iterable<Task>): PaletteItem[] {
  const items: PaletteItem[] = PALETTE_COMMANDS.map((c) => ({ type: 'command', key: `command:${c.id}`, ...c }));
  for (const task of tasks) {
    items.push({
      type: 'task',
      key: `task:${task.id}`,
      id: task.id,
      label: task.title,
      hint: `${task.repoName} · ${task.branch} · ${task.id}`,
      status: task.status,
      updatedAt: task.updatedAt,
    });
  }
  return items;
}

/**
 * Every word of the query must appear in the item (title, repo, branch or id for tasks; the
 * label for commands), case-insensitively. Best first: a title or id that starts with the
 * query, then one containing it whole, then the rest; commands before tasks at equal rank,
 * recently changed tasks first. An empty query lists the commands, then recent tasks.
 */
export function searchPalette(items: readonly PaletteItem[], query: string, limit = PALETTE_LIMIT): PaletteItem[] {
  const q = query.trim().toLowerCase();
  const words = q.split(/\s+/).filter((w) => w !== '');
  const ranked: Array<{ item: PaletteItem; rank: number }> = [];
  for (const item of items) {
    const label = item.label.toLowerCase();
    const haystack = item.type === 'task' ? `${label}\n${item.hint.toLowerCase()}` : label;
    if (!words.every((w) => haystack.includes(w))) continue;
    let rank = 2;
    if (q === '') rank = 0;
    else if (label.startsWith(q) || (item.type === 'task' && item.id.toLowerCase().startsWith(q))) rank = 0;
    else if (label.includes(q)) rank = 1;
    ranked.push({ item, rank });
  }
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      typeOrder(a.item) - typeOrder(b.item) ||
      (a.item.type === 'task' && b.item.type === 'task' ? b.item.updatedAt - a.item.updatedAt : 0),
  );
  return ranked.slice(0, limit).map((r) => r.item);
}

function typeOrder(item: PaletteItem): number {
  return item.type === 'command' ? 0 : 1;
}
