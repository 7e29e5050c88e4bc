import path from 'node:path';
import type { FileDiff, TaskDiff } from '../../../shared/model/diff.js';
import { branchCommit, isValidBranchName } from './refNames.js';
import { runGit, runGitOk } from './runGit.js';
import { isScriptManifest, sensitiveReason } from './sensitivePaths.js';

/** The most of one file's patch sent to a client (bytes); the rest is cut (`isTruncated`). */
export const MAX_PATCH_BYTES = 256 * 1024;

/**
 * Options shared by every diff run here, so all runs list the same files in the same
 * order: no external diff or textconv (they run programs the repo names), renames found,
 * no colour, no per-user file order, paths from the top level, standard a/ b/ prefixes.
 */
const DIFF_OPTIONS = [
  '--no-ext-diff',
  '--no-textconv',
  '--no-color',
  '--find-renames',
  '--no-relative',
  '-O/dev/null',
];

/**
 * What the task branch changes, file by file: from the merge base of `baseBranch` and
 * `branch` to the tip of `branch` (commits only; the host checkpoints the worktree first).
 * Throws when a branch is missing or the two share no history: the host knows its branches.
 */
export async function branchDiff(opts: { repoPath: string; branch: string; baseBranch: string }): Promise<TaskDiff> {
  const root = path.resolve(opts.repoPath);
  const toCommit = await requireBranch(root, opts.branch);
  const baseCommit = await requireBranch(root, opts.baseBranch);
  const mergeBase = await runGit(root, ['merge-base', baseCommit, toCommit]);
  const fromCommit = mergeBase.stdout.trim();
  if (mergeBase.exitCode !== 0 || fromCommit === '') {
    throw new Error(`branches ${opts.branch} and ${opts.baseBranch} share no history in ${root}`);
  }
  return { fromCommit, toCommit, files: await commitDiff(root, fromCommit, toCommit) };
}

/**
 * What one turn changed: its checkpoint commit against the commit before it. Throws when
 * the commit is unknown or has no parent (a checkpoint always has one).
 */
export async function turnDiff(opts: { repoPath: string; checkpoint: string; turn: number }): Promise<TaskDiff> {
  const root = path.resolve(opts.repoPath);
  const toCommit = (await runGitOk(root, ['rev-parse', '--verify', '--quiet', `${opts.checkpoint}^{commit}`])).trim();
  const fromCommit = (await runGitOk(root, ['rev-parse', '--verify', '--quiet', `${toCommit}^1`])).trim();
  return { fromCommit, toCommit, turn: opts.turn, files: await commitDiff(root, fromCommit, toCommit) };
}

/**
 * The files changed from `fromCommit` to `toCommit` (commits or trees: only objects are read,
 * never a working tree), each with its counts, patch (capped) and sensitivity.
 */
export async function commitDiff(root: string, fromCommit: string, toCommit: string): Promise<FileDiff[]> {
  const summary = parseRawAndNumstat(await runGitOk(root, ['diff', ...DIFF_OPTIONS, '--raw', '--numstat', '-z', fromCommit, toCommit, '--']));
  const patch = await runGitOk(root, [
    'diff',
    ...DIFF_OPTIONS,
    '--patch',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    fromCommit,
    toCommit,
    '--',
  ]);
  const files = joinPatches(summary, splitPatch(patch));
  return Promise.all(files.map((file) => withSensitivity(root, fromCommit, toCommit, file)));
}

/** Manifests bigger than this (bytes) are not parsed: flagged as sensitive, to be safe. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

async function withSensitivity(root: string, fromCommit: string, toCommit: string, file: FileDiff): Promise<FileDiff> {
  const manifests = isScriptManifest(file.path)
    ? { before: await blobText(root, fromCommit, file.oldPath ?? file.path), after: await blobText(root, toCommit, file.path) }
    : undefined;
  const reason = sensitiveReason(file.path, manifests) ?? (file.oldPath ? sensitiveReason(file.oldPath) : null);
  return { ...file, sensitive: reason !== null, sensitiveReason: reason };
}

/** A file's text at a commit, null when absent; read with cat-file (no textconv, no filters). */
async function blobText(root: string, commit: string, filePath: string): Promise<string | null> {
  const spec = `${commit}:${filePath}`;
  const size = await runGit(root, ['cat-file', '-s', spec]);
  if (size.exitCode !== 0) return null;
  if (Number(size.stdout.trim()) > MAX_MANIFEST_BYTES) return `oversized:${commit}`;
  return runGitOk(root, ['cat-file', 'blob', spec]);
}

interface FileSummary {
  /** Raw status letter: A, D, M, R, T (type change), … */
  status: string;
  path: string;
  oldPath: string | null;
  additions: number;
  deletions: number;
  isBinary: boolean;
}

/**
 * Parses `git diff --raw --numstat -z`: first one raw record per file
 * (`:<modes> <oids> <status>\0<path>\0`, two paths for renames), then one numstat record
 * per file in the same order (`<add>\t<del>\t<path>\0`, or `<add>\t<del>\t\0<old>\0<new>\0`
 * for renames; `-` counts for binary files). Paths are taken from NUL-separated fields, so
 * any byte but NUL in a name is fine.
 */
export function parseRawAndNumstat(output: string): FileSummary[] {
  const fields = output.split('\0');
  const raws: { status: string; path: string; oldPath: string | null }[] = [];
  const counts: { additions: number; deletions: number; isBinary: boolean }[] = [];
  let i = 0;
  while (i < fields.length) {
    const field = fields[i] ?? '';
    if (field === '') {
      i += 1;
    } else if (field.startsWith(':') && counts.length === 0) {
      const status = (field.split(' ')[4] ?? '').charAt(0);
      if (status === 'R' || status === 'C') {
        raws.push({ status, oldPath: fields[i + 1] ?? '', path: fields[i + 2] ?? '' });
        i += 3;
      } else {
        raws.push({ status, oldPath: null, path: fields[i + 1] ?? '' });
        i += 2;
      }
    } else {
      const [added = '', deleted = '', rest = ''] = splitTwice(field, '\t');
      counts.push({ additions: Number(added) || 0, deletions: Number(deleted) || 0, isBinary: added === '-' });
      // An empty path here means a rename: old and new paths follow as their own fields.
      i += rest === '' ? 3 : 1;
    }
  }
  if (raws.length !== counts.length) {
    throw new Error(`git diff listed ${raws.length} files but counted ${counts.length}`);
  }
  return raws.flatMap((raw, k) => {
    const count = counts[k];
    return count ? [{ ...raw, ...count }] : [];
  });
}

/** The patch cut into one piece per `diff --git` header (a content line never starts so). */
export function splitPatch(patch: string): string[] {
  const starts = [...patch.matchAll(/^diff --git /gm)].map((match) => match.index);
  return starts.map((start, k) => patch.slice(start, starts[k + 1] ?? patch.length));
}

function joinPatches(summaries: FileSummary[], pieces: string[]): FileDiff[] {
  let next = 0;
  const files = summaries.map((file): FileDiff => {
    // A type change (file <-> symlink) is printed as a deletion plus a creation.
    const count = file.status === 'T' ? 2 : 1;
    const patch = pieces.slice(next, next + count).join('');
    next += count;
    const capped = capPatch(patch, MAX_PATCH_BYTES);
    return {
      path: file.path,
      oldPath: file.oldPath,
      change: changeOf(file),
      additions: file.additions,
      deletions: file.deletions,
      patch: file.isBinary ? '' : capped.text,
      isTruncated: file.isBinary ? false : capped.isTruncated,
      sensitive: false,
      sensitiveReason: null,
    };
  });
  if (next !== pieces.length) throw new Error(`git diff printed ${pieces.length} patches for ${files.length} files`);
  return files;
}

function changeOf(file: FileSummary): FileDiff['change'] {
  if (file.isBinary) return 'binary';
  switch (file.status) {
    case 'A':
    case 'C':
      return 'added';
    case 'D':
      return 'deleted';
    case 'R':
      return 'renamed';
    default:
      return 'modified';
  }
}

/** `text` cut to at most `maxBytes` of UTF-8, at the end of a line when there is one. */
export function capPatch(text: string, maxBytes: number): { text: string; isTruncated: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, isTruncated: false };
  const head = bytes.subarray(0, maxBytes);
  const lastNewline = head.lastIndexOf(0x0a);
  const cut = lastNewline > 0 ? head.subarray(0, lastNewline + 1) : head;
  // Without a newline the cut may split a character: drop the broken tail.
  return { text: cut.toString('utf8').replace(/\uFFFD+$/, ''), isTruncated: true };
}

async function requireBranch(root: string, name: string): Promise<string> {
  const commit = (await isValidBranchName(root, name)) ? await branchCommit(root, name) : null;
  if (!commit) throw new Error(`branch "${name}" does not exist in ${root}`);
  return commit;
}

function splitTwice(text: string, separator: string): [string, string, string] {
  const first = text.indexOf(separator);
  const second = first < 0 ? -1 : text.indexOf(separator, first + 1);
  if (first < 0 || second < 0) return [text, '', ''];
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}
