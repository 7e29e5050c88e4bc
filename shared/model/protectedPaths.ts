/**
 * Protected paths: per-repo glob patterns (kept in Flotilla's settings, never read from the repo)
 * naming files a task may not merge without the user's explicit approval (CI workflows, infra…).
 *
 * Syntax, gitignore-like: `*` any characters but `/`, `?` one of them, `**` any number of folders,
 * `[abc]` / `[!abc]` a class, `{a,b}` alternatives. A pattern without `/` matches a file name at
 * any depth (`*.lock`); with one, a path from the repo root (`.github/workflows/**`); a trailing `/`
 * means the folder and everything in it (`infra/`).
 */

export type CompiledGlob = { ok: true; matches: (file: string) => boolean } | { ok: false; reason: string };

/** 200: a pattern longer than a path anyone types is a mistake, and bounds the regex built from it. */
const MAX_PATTERN_CHARS = 200;

export function compileGlob(pattern: string): CompiledGlob {
  const invalid = (why: string): CompiledGlob => ({ ok: false, reason: `invalid glob "${pattern}": ${why}` });
  if (pattern.trim() === '') return invalid('it is empty');
  if (pattern.length > MAX_PATTERN_CHARS) return invalid(`longer than ${MAX_PATTERN_CHARS} characters`);
  if ([...pattern].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return invalid('it contains a control character');
  if (pattern.startsWith('/')) return invalid('patterns are relative to the repo root; drop the leading /');
  if (pattern.includes('\\')) return invalid('use / between folders (no backslashes)');
  if (pattern.split('/').some((segment) => segment === '..' || segment === '.')) return invalid('"." and ".." segments cannot match a path in the diff');
  const isFolder = pattern.endsWith('/');
  const body = isFolder ? `${pattern}**` : pattern;
  const translated = translate(body);
  if (typeof translated !== 'string') return invalid(translated.reason);
  const isAnchored = pattern.slice(0, -1).includes('/') || isFolder;
  const regex = new RegExp(`^${isAnchored ? '' : '(?:.*/)?'}${translated}$`, 'u');
  return { ok: true, matches: (file) => regex.test(file) };
}

/** The first invalid pattern's reason, or null when every one compiles. */
export function invalidGlobReason(patterns: readonly string[]): string | null {
  for (const pattern of patterns) {
    const compiled = compileGlob(pattern);
    if (!compiled.ok) return compiled.reason;
  }
  return null;
}

/** The files (repo-relative, `/`-separated) that match any of the patterns; invalid patterns match nothing. */
export function protectedFiles(files: readonly string[], patterns: readonly string[]): string[] {
  const matchers = patterns.map(compileGlob).flatMap((glob) => (glob.ok ? [glob.matches] : []));
  if (matchers.length === 0) return [];
  return files.filter((file) => matchers.some((matches) => matches(file)));
}

function translate(glob: string): string | { reason: string } {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob.charAt(i);
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const isWholeSegment = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
        if (!isWholeSegment) return { reason: '** must be a whole folder name (a/**/b, **/x, x/**)' };
        // `**/` is zero or more folders; a final `**` is everything below.
        if (glob[i + 2] === '/') {
          out += '(?:[^/]+/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) return { reason: 'a [ without its ]' };
      let inner = glob.slice(i + 1, close);
      const isNegated = inner.startsWith('!');
      if (isNegated) inner = inner.slice(1);
      if (inner.includes('/')) return { reason: 'a [class] cannot hold /' };
      out += `[${isNegated ? '^/' : ''}${inner.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = close;
    } else if (char === '{') {
      braceDepth += 1;
      out += '(?:';
    } else if (char === '}') {
      if (braceDepth === 0) return { reason: 'a } without its {' };
      braceDepth -= 1;
      out += ')';
    } else if (char === ',' && braceDepth > 0) {
      out += '|';
    } else if (char === ']') {
      return { reason: 'a ] without its [' };
    } else {
      out += char.replace(/[.+^$()|\\]/g, (c) => `\\${c}`);
    }
  }
  if (braceDepth > 0) return { reason: 'a { without its }' };
  return out;
}
