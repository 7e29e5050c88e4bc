export type PatchLineKind = 'header' | 'hunk' | 'add' | 'del' | 'context' | 'note';

export interface PatchLine {
  kind: PatchLineKind;
  text: string;
  /** Line numbers in the old and new file; null where the line does not exist on that side. */
  oldLine: number | null;
  newLine: number | null;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * Splits one file's unified diff into typed lines with line numbers. Before the first
 * hunk every line is header (so "+++ b/x" is not an addition); inside hunks the first
 * character decides, which is also right for content lines that start with "++" or "--".
 */
export function parsePatch(patch: string): PatchLine[] {
  if (patch === '') return [];
  const raw = patch.endsWith('\n') ? patch.slice(0, -1) : patch;
  const lines: PatchLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  let isInHunk = false;
  for (const text of raw.split('\n')) {
    const hunk = HUNK_HEADER.exec(text);
    if (hunk) {
      isInHunk = true;
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      lines.push({ kind: 'hunk', text, oldLine: null, newLine: null });
      continue;
    }
    if (!isInHunk) {
      lines.push({ kind: 'header', text, oldLine: null, newLine: null });
      continue;
    }
    switch (text[0]) {
      case '+':
        lines.push({ kind: 'add', text, oldLine: null, newLine: newLine++ });
        break;
      case '-':
        lines.push({ kind: 'del', text, oldLine: oldLine++, newLine: null });
        break;
      case '\\':
        lines.push({ kind: 'note', text, oldLine: null, newLine: null });
        break;
      default:
        // " " context; git also emits an empty line for a blank context line in some setups.
        lines.push({ kind: 'context', text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return lines;
}

/** Header lines worth showing: mode changes, renames, similarity. The path is in the file header. */
export function isInterestingHeader(text: string): boolean {
  return !(text.startsWith('diff --git ') || text.startsWith('index ') || text.startsWith('--- ') || text.startsWith('+++ '));
}

/** Lines in a patch, counted cheaply without parsing (for "collapse big files"). */
export function countPatchLines(patch: string): number {
  if (patch === '') return 0;
  let count = 1;
  for (let i = patch.indexOf('\n'); i !== -1 && i < patch.length - 1; i = patch.indexOf('\n', i + 1)) count++;
  return count;
}
