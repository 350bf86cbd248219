/**
 * Files of a user's pages folder (`pagesDir`), served read-only with their content type; no
 * path leaves the folder (`..`, symbolic links pointing out, encoded separators).
 *
 * @module
 */
import { realpathSync, statSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { ConfigError } from '../errors/config-error.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Largest file served, bytes. */
const MAX_FILE = 16 << 20;

/**
 * The real path of a pages folder, checked at start (`ConfigError` when it is not a folder).
 *
 * @example
 * ```ts
 * const dir = pagesRoot('examples/web');
 * ```
 */
export function pagesRoot(dir: string): string {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    throw new ConfigError('pagesDir', `no such folder: ${dir}`);
  }
  if (!statSync(real).isDirectory()) throw new ConfigError('pagesDir', `not a folder: ${dir}`);
  return real;
}

/**
 * The file for a URL path inside `root` (a real path from {@link pagesRoot}), or `undefined`
 * when there is none or the path tries to leave the folder. `/` and paths ending in `/` mean
 * their `index.html`.
 *
 * @example
 * ```ts
 * const f = await pageFile(root, '/live-value.html');
 * if (f) res.end(f.body);
 * ```
 */
export async function pageFile(root: string, urlPath: string): Promise<{ readonly body: Buffer; readonly type: string } | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  if (path.endsWith('/')) path += 'index.html';
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.' || p.startsWith('.'))) return undefined;
  const type = TYPES[extname(path).toLowerCase()];
  if (type === undefined) return undefined;
  try {
    const real = await realpath(join(root, ...parts));
    if (!real.startsWith(root + sep)) return undefined;
    const st = await stat(real);
    if (!st.isFile() || st.size > MAX_FILE) return undefined;
    return { body: await readFile(real), type };
  } catch {
    return undefined;
  }
}
