import fs from 'node:fs/promises';
import path from 'node:path';
import { applyChunks, type PatchOperation } from './patchFormat.js';
import { readAgentFile } from './agentFile.js';

/**
 * Applies a parsed patch to the worktree, confined to it: every path is relative to the
 * worktree and stays inside it, no path goes through a symbolic link (the agent can plant one
 * pointing anywhere), the git metadata and the sandbox's read-only paths are never written,
 * and only regular files are read or replaced. Everything is checked and computed first; only
 * then are files written, so a patch that does not apply changes nothing.
 *
 * This runs in the agent worker, outside the sandbox, between the agent's commands (whose
 * processes are all ended when each command ends): nothing of the agent's runs meanwhile to
 * swap a checked folder for a link. The final open still refuses links (O_NOFOLLOW).
 */

export interface PatchTarget {
  worktreePath: string;
  /** Absolute paths the sandbox keeps read-only (the `.git` pointer and the git dirs). */
  readOnlyPaths: readonly string[];
}

export type PatchResult = { ok: true; summary: string[] } | { ok: false; error: string };

type Write = { kind: 'write'; absolute: string; shown: string; text: string; isNew: boolean } | { kind: 'remove'; absolute: string; shown: string };

/** 10 MiB: a source file bigger than this is not something to patch line by line. */
const MAX_PATCHED_FILE_BYTES = 10 * 1024 * 1024;

export async function applyPatch(target: PatchTarget, operations: readonly PatchOperation[]): Promise<PatchResult> {
  const writes: Write[] = [];
  for (const operation of operations) {
    const planned = await plan(target, operation);
    if (!planned.ok) return planned;
    writes.push(...planned.writes);
  }
  const summary: string[] = [];
  for (const write of writes) {
    try {
      if (write.kind === 'remove') {
        await fs.unlink(write.absolute);
        summary.push(`D ${write.shown}`);
      } else {
        await makeFolders(target.worktreePath, path.dirname(write.absolute));
        await writeNoFollow(write.absolute, write.text);
        summary.push(`${write.isNew ? 'A' : 'M'} ${write.shown}`);
      }
    } catch (error) {
      const done = summary.length > 0 ? ` (already done: ${summary.join(', ')})` : '';
      return { ok: false, error: `${write.shown}: ${(error as Error).message}${done}` };
    }
  }
  return { ok: true, summary };
}

async function plan(target: PatchTarget, operation: PatchOperation): Promise<{ ok: true; writes: Write[] } | { ok: false; error: string }> {
  const source = await confinedPath(target, operation.path);
  if (!source.ok) return source;
  if (operation.kind === 'add') {
    const existing = await lstatOrNull(source.absolute);
    if (existing && !existing.isFile()) return { ok: false, error: `${operation.path}: exists and is not a regular file` };
    return { ok: true, writes: [{ kind: 'write', absolute: source.absolute, shown: source.shown, text: joinLines(operation.lines, true), isNew: existing === null }] };
  }
  const current = await readRegularFile(source.absolute, operation.path);
  if (!current.ok) return current;
  if (operation.kind === 'delete') return { ok: true, writes: [{ kind: 'remove', absolute: source.absolute, shown: source.shown }] };

  const { lines, endsWithNewline } = splitLines(current.text);
  const applied = applyChunks(lines, operation.chunks, operation.path);
  if (!applied.ok) return applied;
  const text = joinLines(applied.lines, endsWithNewline || lines.length === 0);
  if (operation.moveTo === null) return { ok: true, writes: [{ kind: 'write', absolute: source.absolute, shown: source.shown, text, isNew: false }] };
  const destination = await confinedPath(target, operation.moveTo);
  if (!destination.ok) return destination;
  const existing = await lstatOrNull(destination.absolute);
  if (existing && !existing.isFile()) return { ok: false, error: `${operation.moveTo}: exists and is not a regular file` };
  return {
    ok: true,
    writes: [
      { kind: 'write', absolute: destination.absolute, shown: destination.shown, text, isNew: existing === null },
      { kind: 'remove', absolute: source.absolute, shown: source.shown },
    ],
  };
}

/** The absolute path of `given` if it stays in the worktree, through no link, outside git's files. */
export async function confinedPath(target: PatchTarget, given: string): Promise<{ ok: true; absolute: string; shown: string } | { ok: false; error: string }> {
  const root = target.worktreePath;
  const absolute = path.resolve(root, given);
  const relative = path.relative(root, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { ok: false, error: `${given}: outside the worktree (patch paths are relative to it)` };
  }
  const parts = relative.split(path.sep);
  if (parts[0] === '.git' || target.readOnlyPaths.some((readOnly) => absolute === readOnly || absolute.startsWith(`${readOnly}${path.sep}`))) {
    return { ok: false, error: `${given}: git's files are read-only (Flotilla commits your changes after each turn)` };
  }
  // Every folder on the way must be a real folder, not a link (or not exist yet).
  let folder = root;
  for (const part of parts.slice(0, -1)) {
    folder = path.join(folder, part);
    const stat = await lstatOrNull(folder);
    if (stat === null) break;
    if (stat.isSymbolicLink()) return { ok: false, error: `${given}: goes through the symbolic link ${path.relative(root, folder)}; patch the real path` };
    if (!stat.isDirectory()) return { ok: false, error: `${given}: ${path.relative(root, folder)} is not a folder` };
  }
  const last = await lstatOrNull(absolute);
  if (last?.isSymbolicLink()) return { ok: false, error: `${given}: is a symbolic link; patch the file it points to by its real path` };
  return { ok: true, absolute, shown: relative };
}

async function readRegularFile(file: string, shown: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  const read = await readAgentFile(file, { maxBytes: MAX_PATCHED_FILE_BYTES });
  switch (read.kind) {
    case 'ok':
      return { ok: true, text: read.data.toString('utf8') };
    case 'missing':
      return { ok: false, error: `${shown}: no such file` };
    case 'not_regular':
      return { ok: false, error: `${shown}: not a regular file` };
    case 'too_big':
      return { ok: false, error: `${shown}: ${read.size} bytes, too big to patch (limit ${MAX_PATCHED_FILE_BYTES / 1024 / 1024} MiB)` };
    case 'unreadable':
      return { ok: false, error: `${shown}: ${read.message}` };
  }
}

/** Creates the missing folders of `folder` one at a time under the worktree, refusing links. */
async function makeFolders(root: string, folder: string): Promise<void> {
  let current = root;
  for (const part of path.relative(root, folder).split(path.sep).filter((p) => p !== '')) {
    current = path.join(current, part);
    const stat = await lstatOrNull(current);
    if (stat === null) await fs.mkdir(current);
    else if (!stat.isDirectory()) throw new Error(`${path.relative(root, current)} is not a folder`);
  }
}

async function writeNoFollow(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW, 0o644);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

async function lstatOrNull(file: string): Promise<import('node:fs').Stats | null> {
  try {
    return await fs.lstat(file);
  } catch {
    return null;
  }
}

function splitLines(text: string): { lines: string[]; endsWithNewline: boolean } {
  if (text === '') return { lines: [], endsWithNewline: false };
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  return { lines, endsWithNewline };
}

function joinLines(lines: readonly string[], withFinalNewline: boolean): string {
  if (lines.length === 0) return '';
  return `${lines.join('\n')}${withFinalNewline ? '\n' : ''}`;
}
