import { failure, type Failure } from '../../../shared/contract.js';
import type { ConfigOverrides } from './repoDrivers.js';
import { runGit, runGitOk } from './runGit.js';
import { committerIdent } from './userIdentity.js';

/**
 * The task's commits replayed onto `base` without any working tree: for each commit C on the
 * task's first-parent line (oldest first), the new commit's tree is `git merge-tree base C`,
 * i.e. the base with the task's changes up to C, and its parent the previous new commit. The
 * last one's tree is therefore exactly the merged tree checked for conflicts beforehand
 * (`finalTree`). Commits that change nothing there (e.g. a merge of the base into the task) are
 * dropped; each keeps its author and message, the user is the committer. When a step conflicts
 * though the whole does not, the replay starts after the task's last merge instead. The new commits are
 * only objects until the caller moves a ref to the last one: a failure leaves no trace.
 */
export async function replayOnto(opts: {
  root: string;
  base: string;
  tip: string;
  finalTree: string;
  drivers: ConfigOverrides;
}): Promise<{ ok: true; commit: string } | Failure> {
  const { all, afterLastMerge } = await firstParentCommits(opts.root, opts.base, opts.tip);
  const replayed = await replay(opts, all);
  // A step conflicts though the whole does not: typically commits from before a merge of the base
  // into the task (Resolve with agent), and the merge itself holds the conflict markers its next
  // commit resolved. From after that merge, each step is the base plus the task's resolved work.
  if (!replayed.ok && replayed.kind === 'conflict' && afterLastMerge.length < all.length) return replay(opts, afterLastMerge);
  return replayed;
}

async function replay(
  opts: { root: string; base: string; finalTree: string; drivers: ConfigOverrides },
  commits: readonly string[],
): Promise<{ ok: true; commit: string } | Failure> {
  const { root, base, drivers } = opts;
  const committer = await committerIdent(root);
  let parent = base;
  let parentTree = await treeOf(root, base);
  for (const commit of commits) {
    const merged = await runGit(root, ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', base, commit], { config: drivers });
    const [tree = '', ...conflicted] = merged.stdout.split('\0').filter((field) => field !== '');
    if (merged.exitCode === 1) {
      // The end result merges cleanly (checked before), but this step on the way does not.
      return failure(
        'conflict',
        `Replaying ${commit.slice(0, 10)} onto the base would conflict in ${[...new Set(conflicted)].join(', ')}, though the whole branch merges cleanly; ` +
          'nothing was changed. Merge with the merge or squash strategy instead.',
        [...new Set(conflicted)],
      );
    }
    if (merged.exitCode !== 0) throw new Error(`git merge-tree failed (exit ${merged.exitCode}): ${merged.stderr.trim()}`);
    if (tree === parentTree) continue;
    const { author, encoding, message } = parseCommit(await runGitOk(root, ['cat-file', 'commit', commit]));
    const object =
      `tree ${tree}\nparent ${parent}\nauthor ${author}\ncommitter ${committer}\n` + (encoding ? `encoding ${encoding}\n` : '') + `\n${message}`;
    parent = (await runGitOk(root, ['hash-object', '-t', 'commit', '-w', '--stdin'], { input: object })).trim();
    parentTree = tree;
  }
  if (parentTree !== opts.finalTree) {
    throw new Error(`replaying onto ${base.slice(0, 10)} ended at tree ${parentTree}, not the merged tree ${opts.finalTree}`);
  }
  return { ok: true, commit: parent };
}

/**
 * The task's first-parent commits after the base, oldest first; and those after its last merge
 * commit (that merge itself when it is the last commit: its tree is the resolved state).
 */
async function firstParentCommits(root: string, base: string, tip: string): Promise<{ all: string[]; afterLastMerge: string[] }> {
  const lines = (await runGitOk(root, ['rev-list', '--reverse', '--first-parent', '--parents', `${base}..${tip}`])).split('\n').filter(Boolean);
  const commits = lines.map((line) => line.split(' '));
  let lastMerge = -1;
  commits.forEach((fields, index) => {
    if (fields.length > 2) lastMerge = index;
  });
  const all = commits.map((fields) => fields[0] ?? '');
  const start = lastMerge < 0 ? 0 : Math.min(lastMerge + 1, all.length - 1);
  return { all, afterLastMerge: all.slice(start) };
}

async function treeOf(root: string, commit: string): Promise<string> {
  return (await runGitOk(root, ['rev-parse', '--verify', `${commit}^{tree}`])).trim();
}

/** The author line, encoding and message of a raw commit (`cat-file commit`); signatures are dropped (the content changed). */
export function parseCommit(raw: string): { author: string; encoding: string | null; message: string } {
  const split = raw.indexOf('\n\n');
  const headers = (split < 0 ? raw : raw.slice(0, split)).split('\n');
  const message = split < 0 ? '' : raw.slice(split + 2);
  const header = (name: string) => headers.find((line) => line.startsWith(`${name} `))?.slice(name.length + 1) ?? null;
  const author = header('author');
  if (!author) throw new Error('a commit without an author line');
  return { author, encoding: header('encoding'), message };
}
