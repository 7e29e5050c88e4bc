import fs from 'node:fs';
import path from 'node:path';
import { realHomes, secretPaths } from './hostSecrets.js';
import { isWithin } from './writablePaths.js';
import { canonicalPath, realpathOrNull } from '../util/canonicalPath.js';

/**
 * The user's real home is hidden from every sandboxed command: it holds credentials no list
 * can name in full (`~/.config/*`, `~/.claude`, `~/.cargo/credentials.toml`, shell history,
 * `~/.Xauthority`, browser profiles…). Commands get a per-task HOME instead. What stays
 * visible of the real home, read-only:
 *
 * - the toolchains on PATH (`~/.nvm/versions/node/v20/bin`, `~/.pyenv/shims`, `~/.cargo/bin`):
 *   hiding them would make `node` or `python` vanish from every task. Each PATH folder under
 *   the home is shown with its install root when that root is the tool's own folder
 *   (`~/.pyenv`, `~/.nvm/versions/node/v20`), but never a folder shared with other things
 *   (`~`, `~/.local`, `~/.config`, `~/.cargo`, which holds `credentials.toml`): there only the
 *   PATH folder itself;
 * - what the user allowlisted for the repo (`homeReadOnlyPaths`), e.g. `~/.gitconfig` or a
 *   package cache, and the data of a toolchain that finds it through $HOME (HOME_TOOL_DATA:
 *   rustup's `~/.rustup`); each is also mirrored at the same place under the task's HOME, where
 *   tools look for it (`$HOME/.gitconfig`).
 * Credential paths (SECRET_HOME_ENTRIES) stay hidden even inside what is shown.
 */
export interface HomeExposure {
  /** Real homes to hide whole. */
  hidden: string[];
  /** Paths under them shown again, read-only, at their own place. */
  shown: string[];
  /** Allowlisted paths also shown read-only under the task's HOME: [source, destination]. */
  mirrored: Array<[source: string, destination: string]>;
}

/**
 * Homes that are never hidden: a service account whose HOME is a system folder (or `/`) would
 * otherwise lose the system with it.
 */
const SYSTEM_DIRS = ['/', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/etc', '/opt', '/var', '/srv', '/nix', '/System', '/Library', '/Applications'];

/** Names of PATH folders whose parent is the tool's install root. */
const BIN_FOLDER_NAMES = new Set(['bin', 'sbin', 'shims']);

/**
 * Toolchains on PATH whose programs find their data through $HOME, not their own location:
 * that data is shown and mirrored under the task's HOME too, or the program fails in every
 * task (`cargo` from rustup: "could not choose a version"). PATH folder → data folders.
 */
const HOME_TOOL_DATA: Record<string, readonly string[]> = { '.cargo/bin': ['.rustup'] };

/** Folders under a home shared by many tools (and secrets): never shown whole as a tool root. */
const SHARED_HOME_FOLDERS = ['', '.local', '.local/share', '.local/state', '.config', '.cargo', '.cache'];

export function homeExposure(opts: {
  hostEnv: NodeJS.ProcessEnv;
  /** The repo's allowlist (absolute; `homeReadOnlyPaths`). */
  allowlisted: readonly string[];
  /** The task's HOME, where allowlisted paths are mirrored. */
  taskHome: string;
}): HomeExposure {
  const allowlisted = opts.allowlisted.filter((entry) => path.isAbsolute(entry)).map(canonicalPath);
  // A home the user allowlisted whole is not hidden (its credentials still are: SECRET_HOME_ENTRIES).
  const hidden = realHomes(opts.hostEnv)
    .map(canonicalPath)
    .filter((home) => !SYSTEM_DIRS.some((dir) => isWithin(dir, home)) && !allowlisted.includes(home));
  const shown = new Set<string>();
  const mirrored: Array<[string, string]> = [];

  const pathFolders = (opts.hostEnv.PATH ?? '').split(':');
  for (const root of pathToolRoots(pathFolders.join(':'), hidden)) shown.add(root);
  const secrets = secretPaths(opts.hostEnv).map(canonicalPath);
  const toolData = hidden.flatMap((home) =>
    Object.entries(HOME_TOOL_DATA)
      .filter(([folder]) => pathFolders.some((entry) => path.resolve(entry) === path.join(home, folder)))
      .flatMap(([, data]) => data.map((entry) => path.join(home, entry))),
  );
  for (const entry of [...toolData, ...allowlisted]) {
    if (!path.isAbsolute(entry)) continue;
    const real = realpathOrNull(entry);
    const home = real === null ? undefined : hidden.find((candidate) => isWithin(real, candidate));
    // Outside every home (nothing to show again), or inside a credential folder: not shown.
    if (real === null || home === undefined || secrets.some((secret) => isWithin(real, secret))) continue;
    shown.add(real);
    mirrored.push([real, path.join(opts.taskHome, path.relative(home, real))]);
  }
  return { hidden, shown: [...shown], mirrored };
}

/** PATH folders rarely change: their tool roots are worked out once per PATH for this long (ms). */
const TOOL_ROOTS_TTL_MS = 30_000;
/** Links followed per PATH folder (pipx, `npm link` and friends keep a link per tool there). */
const MAX_LINKS_PER_FOLDER = 256;
let cachedToolRoots: { key: string; at: number; roots: string[] } | null = null;

/**
 * The tool roots of the PATH folders under `homes`, and of the programs linked from them into
 * another place in a home (`~/.local/bin/black` → `~/.local/share/pipx/venvs/black/bin/black`).
 * Cached: every command's sandbox asks, and the answer reads the disk.
 */
function pathToolRoots(pathVariable: string, homes: readonly string[]): string[] {
  const key = `${pathVariable}\0${homes.join('\0')}`;
  if (cachedToolRoots?.key === key && Date.now() - cachedToolRoots.at < TOOL_ROOTS_TTL_MS) return cachedToolRoots.roots;
  const homeOf = (p: string) => homes.find((home) => p !== home && isWithin(p, home));
  const roots = new Set<string>();
  for (const entry of pathVariable.split(':')) {
    if (!path.isAbsolute(entry)) continue;
    const folder = realpathOrNull(entry);
    const home = folder === null ? undefined : homeOf(folder);
    if (folder === null || home === undefined) continue;
    roots.add(toolRoot(folder, home));
    for (const target of linkTargets(folder)) {
      const targetHome = homeOf(target);
      if (targetHome !== undefined) roots.add(toolRoot(path.dirname(target), targetHome));
    }
  }
  // A root inside another shown root adds nothing.
  const sorted = [...roots].sort((a, b) => a.length - b.length);
  const kept = sorted.filter((root, i) => !sorted.slice(0, i).some((outer) => isWithin(root, outer)));
  cachedToolRoots = { key, at: Date.now(), roots: kept };
  return kept;
}

/** Where the symlinks in `folder` lead (real paths), at most MAX_LINKS_PER_FOLDER of them. */
function linkTargets(folder: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isSymbolicLink())
    .slice(0, MAX_LINKS_PER_FOLDER)
    .map((entry) => realpathOrNull(path.join(folder, entry.name)))
    .filter((target): target is string => target !== null);
}

/**
 * The folder to show for a PATH folder under `home`: its parent when the PATH folder is a
 * `bin`/`shims` of a tool's own folder, else the PATH folder alone.
 */
export function toolRoot(pathFolder: string, home: string): string {
  if (!BIN_FOLDER_NAMES.has(path.basename(pathFolder))) return pathFolder;
  const parent = path.dirname(pathFolder);
  const isShared = SHARED_HOME_FOLDERS.some((shared) => parent === path.join(home, shared));
  return isShared ? pathFolder : parent;
}

