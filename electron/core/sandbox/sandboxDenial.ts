import path from 'node:path';
import type { ApprovalPolicy } from '../../../shared/model/sandboxPolicy.js';
import type { CommandResult } from './runSandboxed.js';
import type { SandboxSpec } from './sandboxSpec.js';
import { isWithin } from './writablePaths.js';

/**
 * Errors that mean "the network is not there". `Connection refused` is in the list because
 * bwrap brings up a private loopback: a local server the agent expects is simply absent.
 */
const NETWORK_ERRORS =
  /Network is unreachable|Could not resolve host|Temporary failure in name resolution|unable to resolve host|Name or service not known|Connection refused|Couldn't connect to server|getaddrinfo (?:EAI_AGAIN|ENOTFOUND)|\b(?:ENETUNREACH|ECONNREFUSED)\b/i;
const READ_ONLY_FS = /Read-only file system|\bEROFS\b/i;
const PERMISSION_DENIED = /Permission denied|\bEACCES\b/;
const NOT_PERMITTED = /Operation not permitted|\bEPERM\b/;
/** `rm .git` / `mv .git x`: the pointer is a bind mount, which cannot be removed or renamed. */
const BUSY = /Device or resource busy|\bEBUSY\b/;

export interface DenialOptions {
  /** Decides whether the note invites an approval request; default 'on-request'. */
  approval?: ApprovalPolicy;
  /** Default '/tmp': the sandbox's private, writable tmp. */
  tmpDir?: string;
}

/**
 * When a command failed because the sandbox said no, a one-line note for the agent loop to
 * append to the tool result, so the model learns it hit a wall rather than a mystery:
 * a write outside the writable set (EROFS, or EACCES on such a path), the git metadata, a
 * read-only task, a missing network, or a privileged operation (EPERM). null otherwise,
 * and always null in full-access (there is no sandbox to blame).
 */
export function describeSandboxDenial(result: CommandResult, spec: SandboxSpec, opts: DenialOptions = {}): string | null {
  const mode = spec.mode;
  if (mode === 'full-access') return null;
  const canAsk = opts.approval !== 'never';
  const ask = (what: string) => (canAsk ? `; ask for approval with a reason if you need ${what}` : '; this task allows no escalation, so find another way');
  const lines = result.output.split('\n');

  if (!spec.allowNetwork && lines.some((line) => NETWORK_ERRORS.test(line))) {
    return `[sandbox: this task has no network access${ask('it')}]`;
  }

  const tmpDir = opts.tmpDir ?? '/tmp';
  const worktree = path.resolve(spec.worktreePath);
  // The git metadata: `<repo>/.git`, its `worktrees/<name>`, and the worktree's `.git` pointer.
  const gitPaths = spec.readOnlyPaths.map((p) => path.resolve(p)).filter(isGitPath);
  const writable = [worktree, path.resolve(spec.homeDir), tmpDir, ...spec.extraWritablePaths.map((p) => path.resolve(p))];
  const where = (p: string | null): 'git' | 'worktree' | 'writable' | 'outside' | 'unknown' => {
    if (p === null) return 'unknown';
    const absolute = path.resolve(worktree, p); // commands run in the worktree
    if (isGitPath(absolute) || gitPaths.some((dir) => isWithin(absolute, dir))) return 'git';
    if (isWithin(absolute, worktree)) return 'worktree';
    return writable.some((dir) => isWithin(absolute, dir)) ? 'writable' : 'outside';
  };

  let sawWriteDenial = false;
  let sawNotPermitted = false;
  for (const line of lines) {
    const isReadOnlyFs = READ_ONLY_FS.test(line);
    const isBusy = BUSY.test(line);
    const isDenied = PERMISSION_DENIED.test(line);
    if (!isReadOnlyFs && !isBusy && !isDenied) {
      if (NOT_PERMITTED.test(line)) sawNotPermitted = true;
      continue;
    }
    const place = where(pathIn(line));
    if (place === 'git') return '[sandbox: the git metadata (.git) is read-only; the app commits your changes after each turn]';
    if (isBusy) continue;
    // Plain permissions inside the places the task may write are the files' own business.
    if (isDenied && !isReadOnlyFs && (place === 'writable' || place === 'worktree' || place === 'unknown')) continue;
    if (place === 'worktree' && mode === 'read-only') {
      return `[sandbox: this task is read-only: no file can be written, the worktree included${ask('to write')}]`;
    }
    sawWriteDenial = true;
  }
  if (sawWriteDenial) {
    return mode === 'read-only'
      ? `[sandbox: this task is read-only: no file can be written, the worktree included${ask('to write')}]`
      : `[sandbox: writes outside the worktree are blocked${ask('this')}]`;
  }
  if (sawNotPermitted) return '[sandbox: the operation is not permitted in the sandbox (no root privileges, mounts, clock or devices)]';
  return null;
}

function isGitPath(p: string): boolean {
  return p.split('/').includes('.git');
}

/**
 * The path an error line is about: the first quoted one ('x', ‘x’, "x"), else the field
 * before the message as in `bash: line 1: /x: Read-only file system`. null when none.
 */
function pathIn(line: string): string | null {
  const quoted = /['‘"]([^'’"]+)['’"]/.exec(line);
  if (quoted?.[1]) return quoted[1];
  const field = /(?:^|:\s)([^:\s][^:]*?):\s*(?:Read-only file system|Permission denied|Operation not permitted|Device or resource busy)/i.exec(line);
  return field?.[1]?.trim() || null;
}
