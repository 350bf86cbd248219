/**
 * The page's files for the gateway: read from `assets/` next to this module when the package was
 * built (`npm run build` writes them there), otherwise bundled from the sources on first use.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASSET_TYPES, bundlePage, type PageAsset, type PageAssets } from './bundle.js';

let cached: Promise<PageAssets> | undefined;

async function readBuilt(dir: string): Promise<PageAssets> {
  const files = new Map<string, PageAsset>();
  for (const [name, type] of Object.entries(ASSET_TYPES)) files.set(name, { body: await readFile(join(dir, name)), type });
  return files;
}

/**
 * The page's files (cached for the process): prebuilt ones when present, else bundled now.
 *
 * @example
 * ```ts
 * const assets = await loadPageAssets();
 * assets.get('app.js')!.body.length;
 * ```
 */
export function loadPageAssets(): Promise<PageAssets> {
  if (cached === undefined) {
    const dir = fileURLToPath(new URL('./assets/', import.meta.url));
    cached = (existsSync(join(dir, 'index.html')) ? readBuilt(dir) : bundlePage()).catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
  }
  return cached;
}
