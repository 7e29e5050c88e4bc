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
 * dropped; each keeps its author and message, the user is the committer. The new commits are
 * only objects until the caller moves a ref to the last one: a failure leaves no trace.
 */
export async function replayOnto(opts: {
  root: string;
  base: string;
  tip: string;
  finalTree: string;
  drivers: ConfigOverrides;
}): Promise<{ ok: true; commit: string } | Failure> {
  const { root, base, tip, drivers } = opts;
  const commits = (await runGitOk(root, ['rev-list', '--reverse', '--first-parent', `${base}..${tip}`])).split('\n').filter(Boolean);
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
