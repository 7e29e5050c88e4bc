import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { failure, type Failure } from '../../../shared/contract.js';
import { branchRef } from './refNames.js';
import { firstLines, runGit } from './runGit.js';

/** 2 min for `gh`: it talks to GitHub; a hung call must not hold the task for ever. */
const GH_TIMEOUT_MS = 120_000;
/** 10 min for the push: a first push of a big branch over a slow link. */
const PUSH_TIMEOUT_MS = 10 * 60_000;

/**
 * Pushes the task branch to the repo's remote (`origin`, else the only one) and opens a pull
 * request with the GitHub CLI. Says exactly what is missing, changing nothing, when there is no
 * remote, no `gh` on PATH or `gh` is not signed in. A pull request that already exists for the
 * branch is not an error: its URL is returned.
 */
export async function openPullRequest(opts: {
  repoPath: string;
  branch: string;
  baseBranch: string;
  title: string;
  body: string;
  /** The host's environment: PATH to find `gh`, and whatever `gh` needs to sign in. */
  env: NodeJS.ProcessEnv;
}): Promise<{ ok: true; url: string } | Failure> {
  const remotes = await runGit(opts.repoPath, ['remote']);
  const names = remotes.stdout.split('\n').filter(Boolean);
  const remote = names.includes('origin') ? 'origin' : names.length === 1 ? names[0] : undefined;
  if (remotes.exitCode !== 0 || remote === undefined) {
    const why = names.length > 1 ? `several remotes (${names.join(', ')}) and none is called origin` : 'no remote';
    return failure('unavailable', `${opts.repoPath} has ${why}; add one (git remote add origin URL), then open the pull request again`);
  }
  const gh = findOnPath('gh', opts.env.PATH ?? '');
  if (!gh) return failure('unavailable', 'the GitHub CLI (gh) is not on PATH; install it (https://cli.github.com), run gh auth login, then try again');
  const signedIn = await runGh(gh, ['auth', 'status'], opts);
  if (signedIn.code !== 0) return failure('unavailable', `gh is not signed in (${firstLines(signedIn.stderr || signedIn.stdout, 1)}); run gh auth login, then try again`);

  const ref = branchRef(opts.branch);
  const pushed = await runGit(opts.repoPath, ['push', '--no-verify', '--porcelain', '--', remote, `${ref}:${ref}`], { timeoutMs: PUSH_TIMEOUT_MS });
  if (pushed.exitCode !== 0) return failure('git_error', `could not push ${opts.branch} to ${remote}: ${firstLines(pushed.stderr)}`);

  const created = await runGh(
    gh,
    ['pr', 'create', '--head', opts.branch, '--base', opts.baseBranch, '--title', opts.title, '--body-file', '-'],
    { ...opts, input: opts.body },
  );
  const url = lastUrl(created.stdout) ?? (/already exists/i.test(created.stderr) ? lastUrl(created.stderr) : null);
  if (url) return { ok: true, url };
  return failure('git_error', `gh pr create failed: ${firstLines(created.stderr || created.stdout, 2) || `exit ${created.code}`}`);
}

/** The last http(s) URL in `text`, or null. */
function lastUrl(text: string): string | null {
  const urls = text.match(/https?:\/\/[^\s"'<>]+/g);
  return urls ? (urls[urls.length - 1] ?? null) : null;
}

/** The absolute path of an executable `name` in `searchPath` (PATH), or null. */
export function findOnPath(name: string, searchPath: string): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

function runGh(
  gh: string,
  args: string[],
  opts: { repoPath: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      gh,
      args,
      // No prompts: gh asks nothing of a terminal nobody is looking at.
      { cwd: opts.repoPath, env: { ...opts.env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1', GH_NO_UPDATE_NOTIFIER: '1' }, timeout: GH_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: stderr || (error && code !== 0 && !stderr ? error.message : '') });
      },
    );
    // gh may exit before reading its input (`auth status` never does): that is its answer, not a crash.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}
