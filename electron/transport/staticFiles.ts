import fs from 'node:fs/promises';
import path from 'node:path';

/** Content types of what a Vite build emits; anything else is served as opaque bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticFile =
  | { ok: true; file: string; body: Buffer; contentType: string }
  | { ok: false; status: 400 | 404; message: string };

/**
 * The file a URL path names inside `root`, or null when the path would leave it.
 * `urlPath` is the still-encoded pathname (`/assets/a%20b.js`); `/` means index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  return isInside(base, file) ? file : null;
}

/**
 * Reads a file of the renderer build for a URL path. Refuses traversal twice: by the
 * resolved name, then by the real path (a symlink in the build must not lead out of it).
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile> {
  const file = resolveStaticPath(root, urlPath);
  if (!file) return { ok: false, status: 400, message: 'bad path' };
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(file)]);
    if (!isInside(realRoot, realFile)) return { ok: false, status: 404, message: 'not found' };
    const stat = await fs.stat(realFile);
    if (!stat.isFile()) return { ok: false, status: 404, message: 'not found' };
    return { ok: true, file: realFile, body: await fs.readFile(realFile), contentType: contentTypeOf(realFile) };
  } catch {
    return { ok: false, status: 404, message: 'not found' };
  }
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
