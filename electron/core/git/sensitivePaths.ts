/**
 * Execution-sensitive files: files that some program runs (CI, git hooks, make, direnv,
 * editor tasks, container builds) or whose scripts a package manager runs. A change to one
 * can execute code on the user's machine or CI later, so the review flags it.
 */

/** Why a path is sensitive by its name alone, or null. Paths use `/`, from the repo top. */
export function sensitivePathReason(path: string): string | null {
  const normalized = path.replace(/\\/g, '/');
  const withSlash = `/${normalized}`;
  const name = normalized.slice(normalized.lastIndexOf('/') + 1);
  for (const [dir, reason] of SENSITIVE_DIRS) {
    if (withSlash.includes(`/${dir}`)) return reason;
  }
  const byName = SENSITIVE_NAMES.get(name);
  if (byName) return byName;
  if (name.endsWith('.mk')) return 'Makefile';
  if (/^(Dockerfile|Containerfile)(\.[^/]+)?$/.test(name) || name === 'dockerfile' || /\.(d|D)ockerfile$/.test(name)) return 'Dockerfile';
  if (/^(docker-)?compose[^/]*\.ya?ml$/i.test(name)) return 'Docker Compose file';
  if (withSlash.includes('/.idea/runConfigurations/') || (withSlash.includes('/.idea/') && name === 'workspace.xml')) {
    return 'IDE run configuration';
  }
  return null;
}

/** Folder prefixes (relative to any folder, ending in `/`) whose every file is run by something. */
const SENSITIVE_DIRS: readonly (readonly [string, string])[] = [
  ['.github/workflows/', 'CI workflow'],
  ['.github/actions/', 'CI action'],
  ['.circleci/', 'CI configuration'],
  ['.husky/', 'git hook'],
  ['.githooks/', 'git hook'],
  ['.git-hooks/', 'git hook'],
  ['.devcontainer/', 'dev container'],
];

const SENSITIVE_NAMES = new Map<string, string>([
  ['.gitlab-ci.yml', 'CI configuration'],
  ['azure-pipelines.yml', 'CI configuration'],
  ['bitbucket-pipelines.yml', 'CI configuration'],
  ['.travis.yml', 'CI configuration'],
  ['Jenkinsfile', 'CI configuration'],
  ['Makefile', 'Makefile'],
  ['makefile', 'Makefile'],
  ['GNUmakefile', 'Makefile'],
  ['.envrc', 'direnv script'],
  ['.pre-commit-config.yaml', 'git hook'],
  ['lefthook.yml', 'git hook'],
]);

/** The editor's task file: run by "Run Task" and, with `runOn: folderOpen`, on opening the folder. */
function isEditorTaskFile(path: string): boolean {
  return `/${path}`.endsWith('/.vscode/tasks.json') || `/${path}`.endsWith('/.vscode/launch.json');
}

/** Manifests whose scripts a package manager runs (install hooks, `npm run`, entry points). */
export function isScriptManifest(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === 'package.json' || name === 'composer.json' || name === 'pyproject.toml' || name === 'setup.py';
}

/**
 * Why a manifest change is sensitive, given its text before and after (null: absent), or
 * null when its scripts are the same. Decided on the parsed scripts, not on patch lines:
 * a hunk's context may not show which table a changed line belongs to.
 * - package.json, composer.json: the `scripts` object (and package.json's `bin`), compared
 *   as JSON; a side that does not parse counts as changed (we cannot tell).
 * - pyproject.toml: every table whose header names scripts or entry points
 *   (`[project.scripts]`, `[project.entry-points.*]`, `[tool.poetry.scripts]`,
 *   `[tool.pdm.scripts]`, `[tool.hatch.envs.*.scripts]`, …) and `[build-system]`, compared
 *   as text with blank lines and comments dropped.
 * - setup.py is code run by pip: any change.
 */
export function manifestScriptsChange(path: string, before: string | null, after: string | null): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'setup.py') return before === after ? null : 'setup.py (run by pip)';
  if (name === 'pyproject.toml') {
    return pyprojectScripts(before) === pyprojectScripts(after) ? null : 'pyproject.toml scripts or build system changed';
  }
  if (name === 'package.json' || name === 'composer.json') {
    const keys = name === 'package.json' ? ['scripts', 'bin'] : ['scripts'];
    return jsonFields(before, keys) === jsonFields(after, keys) ? null : `${name} scripts changed`;
  }
  return null;
}

/** Why `path` is sensitive given the manifest text on both sides (only read for manifests). */
export function sensitiveReason(path: string, manifests?: { before: string | null; after: string | null }): string | null {
  const byPath = sensitivePathReason(path) ?? (isEditorTaskFile(path) ? 'editor task file' : null);
  if (byPath) return byPath;
  if (isScriptManifest(path) && manifests) return manifestScriptsChange(path, manifests.before, manifests.after);
  return null;
}

/** The given top-level fields as canonical JSON text; a parse failure gives a unique marker. */
function jsonFields(text: string | null, keys: string[]): string {
  if (text === null) return JSON.stringify(keys.map(() => null));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `unparsable:${text}`;
  }
  if (typeof parsed !== 'object' || parsed === null) return 'not-an-object';
  const record = parsed as Record<string, unknown>;
  return JSON.stringify(keys.map((key) => canonical(record[key])));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value ?? null;
}

const SCRIPT_TABLE = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;

/** The text of pyproject's script, entry-point and build-system tables, normalized. */
function pyprojectScripts(text: string | null): string {
  if (text === null) return '';
  const kept: string[] = [];
  let isInScriptTable = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const header = SCRIPT_TABLE.exec(rawLine);
    if (header) {
      const table = (header[1] ?? '').replace(/["'\s]/g, '');
      isInScriptTable = /(^|\.)(scripts|gui-scripts|entry-points|plugins)(\.|$)/.test(table) || table === 'build-system';
      if (isInScriptTable) kept.push(`[${table}]`);
      continue;
    }
    const line = rawLine.trim();
    // Dotted keys at top level can also define them: `project.scripts.x = "..."`.
    const isDottedScriptKey = /^"?(project|tool)\b[^=]*\b(scripts|entry-points)\b/.test(line);
    if ((isInScriptTable || isDottedScriptKey) && line !== '' && !line.startsWith('#')) kept.push(line);
  }
  return kept.join('\n');
}
