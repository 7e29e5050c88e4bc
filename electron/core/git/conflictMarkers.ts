import { branchCommit } from './refNames.js';
import { runGit, runGitOk } from './runGit.js';

/**
 * Conflict markers left behind by "Resolve with agent". Its merge commit (resolveConflicts.ts)
 * names the files that conflicted in a trailer line; whatever turn follows, a task branch must
 * not look mergeable while one of those files still holds a marker line at the branch tip.
 */

/** The trailer naming the conflicted files, as a JSON array of paths (any byte but NUL in a name). */
export const CONFLICTS_TRAILER = 'Flotilla-Conflicts: ';

/** The marker lines git writes (LF or CRLF): `<<<<<<< ours`, `=======`, `>>>>>>> theirs`. */
const MARKER_PATTERNS = ['^<<<<<<<([[:space:]]|$)', '^=======[[:space:]]*$', '^>>>>>>>([[:space:]]|$)'];

/** The trailer line for a resolve merge of `files`. */
export function conflictsTrailer(files: readonly string[]): string {
  return `${CONFLICTS_TRAILER}${JSON.stringify(files)}`;
}

/**
 * The files that conflicted in a Resolve-with-agent merge on `tip` (one not on `baseBranch`) and
 * still hold a conflict marker line at `tip`, sorted; [] when there is none or the base branch is
 * gone. Reads commits and blobs only (`git grep` of a tree: no working tree, no filter, no
 * textconv); binary files are skipped.
 */
export async function conflictMarkersLeft(repoPath: string, tip: string, baseBranch: string): Promise<string[]> {
  const base = await branchCommit(repoPath, baseBranch);
  if (!base) return [];
  // -z: each commit's message ends with a NUL; merges of the task branch not on the base.
  const messages = await runGitOk(repoPath, ['log', '--merges', '-z', '--format=%B', `${base}..${tip}`, '--']);
  const conflicted = new Set<string>();
  for (const message of messages.split('\0')) {
    for (const line of message.split('\n')) {
      if (line.startsWith(CONFLICTS_TRAILER)) for (const file of parseFiles(line.slice(CONFLICTS_TRAILER.length))) conflicted.add(file);
    }
  }
  if (conflicted.size === 0) return [];
  const patterns = MARKER_PATTERNS.flatMap((pattern) => ['-e', pattern]);
  const pathspecs = [...conflicted].map((file) => `:(literal)${file}`);
  // Exit 1: no file matched.
  const run = await runGit(repoPath, ['grep', '-l', '-z', '-I', '-E', '--no-textconv', ...patterns, tip, '--', ...pathspecs]);
  if (run.exitCode === 1) return [];
  if (run.exitCode !== 0) throw new Error(`git grep failed (exit ${run.exitCode}): ${run.stderr.trim()}`);
  const prefix = `${tip}:`;
  return run.stdout
    .split('\0')
    .filter((entry) => entry.startsWith(prefix))
    .map((entry) => entry.slice(prefix.length))
    .sort();
}

/** Why a branch with markers left is not mergeable, naming the files (one line). */
export function conflictMarkersReason(files: readonly string[]): string {
  const shown = files.length > 5 ? `${files.slice(0, 5).join(', ')} and ${files.length - 5} more` : files.join(', ');
  return `conflict markers (<<<<<<<, =======, >>>>>>>) remain in ${shown}: the conflicts are not resolved`;
}

function parseFiles(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((file): file is string => typeof file === 'string' && file !== '') : [];
  } catch {
    return [];
  }
}
