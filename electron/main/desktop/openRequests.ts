import path from 'node:path';
import type { Host } from '../../core/hostTypes.js';
import { errorMessage } from '../../core/util/errorMessage.js';

/**
 * The folder a launch names: `Flotilla /path/to/repo`, `npm start -- ~/src/shop`. The first
 * argument is the executable, and when unpackaged the second is the app's own folder; switches
 * (`--flag`, macOS's `-psn_…`, those Chromium adds) are not paths. The last one left wins,
 * resolved against the directory the launch came from. Null when there is none.
 */
export function launchPath(argv: readonly string[], options: { isPackaged: boolean; cwd: string }): string | null {
  const args = argv.slice(options.isPackaged ? 1 : 2).filter((arg) => arg !== '' && !arg.startsWith('-'));
  const last = args.at(-1);
  return last === undefined ? null : path.resolve(options.cwd, last);
}

export interface RepoOpenerDeps {
  host: Pick<Host, 'handlers'>;
  /** Brings the window to the front (restored, shown, focused). */
  focusWindow(): void;
  /** The repo could not be opened: say why (a notification; the launch had no other place to say it). */
  onFailure(message: string): void;
}

/**
 * Opens a repo asked for from outside the window: adds it if new (`repos.open`), and every window
 * selects it (`repos.onDidOpen`), as `flotilla open PATH` does over the API.
 */
export async function openRepo(deps: RepoOpenerDeps, repoPath: string): Promise<void> {
  deps.focusWindow();
  try {
    const result = await deps.host.handlers['repos.open']({ path: repoPath });
    if (!result.ok) deps.onFailure(`Could not open ${repoPath}: ${result.message}`);
  } catch (error) {
    deps.onFailure(`Could not open ${repoPath}: ${errorMessage(error)}`);
  }
}
