import path from 'node:path';
import { readAgentFile } from './agentFile.js';

/** 32 KiB for all instruction files together: enough for any sensible set, small next to a model's context. */
export const AGENTS_MD_MAX_BYTES = 32 * 1024;

const BASE_INSTRUCTIONS = [
  'You are a coding agent. You work in a git worktree of the user\'s repository, which is your current directory.',
  'Use the `shell` tool to inspect and change files: each call runs one bash command in the worktree,',
  'inside a sandbox without network access; only the worktree (and a private /tmp) is writable.',
  'Do not run git commands that write (commit, checkout, reset): the git metadata is read-only, and the app',
  'commits your changes after each turn. Commands must not wait for input. Their output and exit code come back to you;',
  'when a command fails, read the error and adapt.',
  'When the task is done, answer with a short summary of what you changed, without calling a tool.',
].join(' ');

/** One instruction file in effect: where it is, and how much of it the model gets. */
export interface InstructionSource {
  /** `global`: FLOTILLA_HOME's, the user's own; `repo`: from the task's worktree (the agent can write it). */
  scope: 'global' | 'repo';
  /** For people: the global file's absolute path, or the path relative to the worktree. */
  path: string;
  /** Bytes on disk. */
  bytes: number;
  /** True when the shared cap cut it (or left it out). */
  isTruncated: boolean;
  /** What the model gets of it. */
  text: string;
}

export interface Instructions {
  /** The whole system text: how to work, then each file under a heading. */
  text: string;
  sources: InstructionSource[];
}

/**
 * The instructions of a turn, as Codex reads them: the user's global AGENTS.md (in
 * FLOTILLA_HOME), then the AGENTS.md of each folder from the repository root down to the
 * working directory, where an AGENTS.override.md replaces its folder's AGENTS.md. Concatenated
 * in that order under one 32 KiB cap. The worktree is the agent's: files are opened without
 * following symlinks (a link to ~/.ssh/id_rsa must not reach the model API), and never block
 * (a FIFO named AGENTS.md is skipped, not waited on).
 */
export async function loadInstructions(opts: { home: string | null; worktreePath: string; cwd?: string }): Promise<Instructions> {
  const candidates: { scope: InstructionSource['scope']; folder: string; shown: (name: string) => string }[] = [];
  if (opts.home) candidates.push({ scope: 'global', folder: opts.home, shown: (name) => path.join(opts.home ?? '', name) });
  for (const folder of foldersDown(opts.worktreePath, opts.cwd ?? opts.worktreePath)) {
    candidates.push({ scope: 'repo', folder, shown: (name) => path.relative(opts.worktreePath, path.join(folder, name)) || name });
  }
  const sources: InstructionSource[] = [];
  let budget = AGENTS_MD_MAX_BYTES;
  for (const candidate of candidates) {
    const file = (await readCapped(path.join(candidate.folder, 'AGENTS.override.md'), budget)) ?? (await readCapped(path.join(candidate.folder, 'AGENTS.md'), budget));
    if (!file) continue;
    budget -= Buffer.byteLength(file.text);
    sources.push({ scope: candidate.scope, path: candidate.shown(file.name), bytes: file.bytes, isTruncated: file.isTruncated, text: file.text });
  }
  const sections = sources.map((source) => {
    const where = source.scope === 'global' ? 'your global instructions' : `${source.path} in the repository`;
    const cut = source.isTruncated ? `\n\n[${source.path} cut: all instructions together are capped at ${AGENTS_MD_MAX_BYTES / 1024} KiB]` : '';
    return `# Instructions from ${where}\n\n${source.text}${cut}`;
  });
  return { text: [BASE_INSTRUCTIONS, ...sections].join('\n\n'), sources };
}

/** The system text alone, for callers without a FLOTILLA_HOME (the worker's fallback). */
export async function buildInstructions(worktreePath: string): Promise<string> {
  return (await loadInstructions({ home: null, worktreePath })).text;
}

/** The repository root, then each folder down to `cwd` (only the root when cwd is outside it). */
function foldersDown(root: string, cwd: string): string[] {
  const relative = path.relative(root, cwd);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return [root];
  const folders = [root];
  for (const part of relative.split(path.sep)) folders.push(path.join(folders.at(-1) ?? root, part));
  return folders;
}

/** A regular file's first `maxBytes`; null when missing, a symlink, a FIFO, a folder or unreadable. */
async function readCapped(file: string, maxBytes: number): Promise<{ name: string; text: string; bytes: number; isTruncated: boolean } | null> {
  const read = await readAgentFile(file, { maxBytes, isPrefixEnough: true });
  if (read.kind !== 'ok') return null;
  // Cut at a character boundary: a split UTF-8 sequence would decode to U+FFFD.
  const text = read.data.toString('utf8').replace(/\uFFFD$/, '');
  return { name: path.basename(file), text, bytes: read.size, isTruncated: read.size > read.data.length };
}
