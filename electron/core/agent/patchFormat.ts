/**
 * The `*** Begin Patch` format Codex-trained models emit for edits:
 *
 *   *** Begin Patch
 *   *** Add File: path        then every line prefixed with +
 *   *** Delete File: path
 *   *** Update File: path     optionally followed by *** Move to: new/path
 *   @@ optional line to find first (a function's signature…)
 *    context line   -removed line   +added line
 *   *** End of File           (the chunk ends the file)
 *   *** End Patch
 *
 * Parsing only: no file is touched here (patchApply.ts applies).
 */

export interface PatchChunk {
  /** Text after `@@` (trimmed), a line to find before the chunk's old lines; null for none. */
  anchor: string | null;
  oldLines: string[];
  newLines: string[];
  /** `*** End of File`: the old lines end the file. */
  isEndOfFile: boolean;
}

export type PatchOperation =
  | { kind: 'add'; path: string; lines: string[] }
  | { kind: 'delete'; path: string }
  | { kind: 'update'; path: string; moveTo: string | null; chunks: PatchChunk[] };

export type ParsedPatch = { ok: true; operations: PatchOperation[] } | { ok: false; error: string };

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';
const END_OF_FILE = '*** End of File';

export function parsePatch(text: string): ParsedPatch {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  // Models sometimes wrap the patch in a heredoc or leave blank lines around it.
  const start = lines.findIndex((line) => line.trim() === BEGIN);
  let end = lines.length - 1;
  while (end >= 0 && (lines[end] ?? '').trim() !== END) end -= 1;
  if (start < 0) return { ok: false, error: `the patch must start with "${BEGIN}"` };
  if (end <= start) return { ok: false, error: `the patch must end with "${END}"` };
  const operations: PatchOperation[] = [];
  let index = start + 1;
  const fail = (why: string): ParsedPatch => ({ ok: false, error: `line ${index + 1}: ${why}` });
  while (index < end) {
    const line = lines[index] ?? '';
    if (line.startsWith(ADD)) {
      const path = line.slice(ADD.length).trim();
      const added: string[] = [];
      index += 1;
      while (index < end && !(lines[index] ?? '').startsWith('*** ')) {
        const body = lines[index] ?? '';
        if (!body.startsWith('+')) return fail(`every line of an added file starts with "+" (in ${path})`);
        added.push(body.slice(1));
        index += 1;
      }
      operations.push({ kind: 'add', path, lines: added });
    } else if (line.startsWith(DELETE)) {
      operations.push({ kind: 'delete', path: line.slice(DELETE.length).trim() });
      index += 1;
    } else if (line.startsWith(UPDATE)) {
      const path = line.slice(UPDATE.length).trim();
      index += 1;
      let moveTo: string | null = null;
      if ((lines[index] ?? '').startsWith(MOVE)) {
        moveTo = (lines[index] ?? '').slice(MOVE.length).trim();
        index += 1;
      }
      const chunks: PatchChunk[] = [];
      let chunk: PatchChunk | null = null;
      while (index < end && !isOperationLine(lines[index] ?? '')) {
        const body = lines[index] ?? '';
        if (body.startsWith('@@')) {
          chunk = { anchor: body.slice(2).trim() || null, oldLines: [], newLines: [], isEndOfFile: false };
          chunks.push(chunk);
        } else if (body === END_OF_FILE) {
          if (!chunk) return fail('"*** End of File" before any change');
          chunk.isEndOfFile = true;
        } else {
          if (!chunk) {
            chunk = { anchor: null, oldLines: [], newLines: [], isEndOfFile: false };
            chunks.push(chunk);
          }
          const marker = body[0];
          // An empty line inside a chunk is an empty context line (editors strip the space).
          const rest = body.slice(1);
          if (body === '' || marker === ' ') {
            chunk.oldLines.push(rest);
            chunk.newLines.push(rest);
          } else if (marker === '-') chunk.oldLines.push(rest);
          else if (marker === '+') chunk.newLines.push(rest);
          else return fail(`a change line starts with " ", "-" or "+" (in ${path}): ${JSON.stringify(body.slice(0, 60))}`);
        }
        index += 1;
      }
      if (chunks.length === 0 && moveTo === null) return fail(`no changes for ${path}`);
      operations.push({ kind: 'update', path, moveTo, chunks });
    } else if (line.trim() === '') {
      index += 1;
    } else {
      return fail(`expected "*** Add File:", "*** Delete File:" or "*** Update File:", got ${JSON.stringify(line.slice(0, 60))}`);
    }
  }
  if (operations.length === 0) return { ok: false, error: 'the patch changes nothing' };
  const empty = operations.find((operation) => operation.path === '' || (operation.kind === 'update' && operation.moveTo === ''));
  if (empty) return { ok: false, error: 'a file path is empty' };
  return { ok: true, operations };
}

function isOperationLine(line: string): boolean {
  return line.startsWith(ADD) || line.startsWith(DELETE) || line.startsWith(UPDATE) || line.trim() === END;
}

/**
 * The file's new lines after `chunks`, or which chunk did not match. Each chunk's old lines are
 * looked for from where the previous chunk ended (after its anchor, if any): exactly, then
 * ignoring trailing spaces, then ignoring surrounding spaces, as models misquote whitespace.
 */
export function applyChunks(fileLines: readonly string[], chunks: readonly PatchChunk[], path: string): { ok: true; lines: string[] } | { ok: false; error: string } {
  const lines = [...fileLines];
  let cursor = 0;
  for (const [number, chunk] of chunks.entries()) {
    if (chunk.anchor !== null) {
      const at = findLines(lines, [chunk.anchor], cursor, false);
      if (at < 0) return { ok: false, error: `${path}: change ${number + 1}: the line "${chunk.anchor}" after @@ was not found` };
      cursor = at + 1;
    }
    if (chunk.oldLines.length === 0) {
      // Pure insertion: at the end of the file, or right after the anchor.
      const at = chunk.anchor === null || chunk.isEndOfFile ? lines.length : cursor;
      lines.splice(at, 0, ...chunk.newLines);
      cursor = at + chunk.newLines.length;
      continue;
    }
    const at = findLines(lines, chunk.oldLines, cursor, chunk.isEndOfFile);
    if (at < 0) {
      return { ok: false, error: `${path}: change ${number + 1}: these lines were not found: ${JSON.stringify(chunk.oldLines.slice(0, 3).join('\n'))}` };
    }
    lines.splice(at, chunk.oldLines.length, ...chunk.newLines);
    cursor = at + chunk.newLines.length;
  }
  return { ok: true, lines };
}

const NORMALIZERS: ((line: string) => string)[] = [(line) => line, (line) => line.trimEnd(), (line) => line.trim()];

function findLines(lines: readonly string[], wanted: readonly string[], from: number, isAtEnd: boolean): number {
  for (const normalize of NORMALIZERS) {
    const target = wanted.map(normalize);
    const matches = (at: number) => target.every((line, offset) => normalize(lines[at + offset] ?? '') === line);
    if (isAtEnd) {
      const at = lines.length - target.length;
      if (at >= from && matches(at)) return at;
      continue;
    }
    for (let at = from; at + target.length <= lines.length; at += 1) if (matches(at)) return at;
  }
  return -1;
}
