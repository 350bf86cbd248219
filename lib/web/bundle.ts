/**
 * Builds the dashboard page and the stand-alone browser client with esbuild (a development
 * dependency): used by `npm run build` to write them next to the compiled gateway, and by the
 * gateway itself when it runs from a checkout where they were not built.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';

/**
 * One file the gateway serves.
 *
 * @example
 * ```ts
 * const a: PageAsset = { body: Buffer.from('<!doctype html>…'), type: 'text/html; charset=utf-8' };
 * ```
 */
export interface PageAsset {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * The files of the page, by name: `index.html`, `app.js`, `app.css`, `acsys-rx-browser.js`.
 *
 * @example
 * ```ts
 * const assets: PageAssets = await bundlePage();
 * assets.get('index.html')?.type; // 'text/html; charset=utf-8'
 * ```
 */
export type PageAssets = ReadonlyMap<string, PageAsset>;

/**
 * Content types of the page's files.
 *
 * @example
 * ```ts
 * ASSET_TYPES['app.js']; // 'text/javascript; charset=utf-8'
 * ```
 */
export const ASSET_TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'acsys-rx-browser.js': 'text/javascript; charset=utf-8',
};

/**
 * The repository's folders this runs from: `lib/web` (tsx) or `dist/lib/web` (compiled).
 *
 * @example
 * ```ts
 * sourceRoot(); // '/home/me/acsys-rx/'
 * ```
 */
export function sourceRoot(): string | undefined {
  for (const up of ['../../', '../../../']) {
    const root = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(root, 'web', 'index.html')) && existsSync(join(root, 'lib', 'browser', 'index.ts'))) return root;
  }
  return undefined;
}

/**
 * Bundles the page (`web/src/main.ts` with uPlot and the browser client, its CSS, `web/index.html`)
 * and the stand-alone browser client (`lib/browser/index.ts` with RxJS) in memory.
 *
 * @throws {Error} when the sources or esbuild are not there (an installed package ships the
 *   files prebuilt instead).
 * @example
 * ```ts
 * const assets = await bundlePage();
 * writeFileSync('app.js', assets.get('app.js')!.body);
 * ```
 */
export async function bundlePage(): Promise<PageAssets> {
  const root = sourceRoot();
  if (root === undefined) throw new Error('the dashboard page is not built and its sources are not here (run npm run build in a checkout)');
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new Error(`the dashboard page is not built and esbuild cannot be loaded to build it: ${(e as Error).message}`);
  }
  const common: import('esbuild').BuildOptions & { write: false } = {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    absWorkingDir: root,
  };
  const [app, client] = await Promise.all([
    esbuild.build({ ...common, entryPoints: { app: join(root, 'web', 'src', 'main.ts') }, outdir: join(root, '.tmp', 'web') }),
    esbuild.build({ ...common, entryPoints: { 'acsys-rx-browser': join(root, 'lib', 'browser', 'index.ts') }, outdir: join(root, '.tmp', 'web') }),
  ]);
  const files = new Map<string, PageAsset>();
  for (const f of [...app.outputFiles, ...client.outputFiles]) {
    const name = basename(f.path);
    if (ASSET_TYPES[name] !== undefined) files.set(name, { body: Buffer.from(f.contents), type: ASSET_TYPES[name] });
  }
  files.set('index.html', { body: readFileSync(join(root, 'web', 'index.html')), type: ASSET_TYPES['index.html']! });
  for (const name of Object.keys(ASSET_TYPES)) if (!files.has(name)) throw new Error(`building the page produced no ${name}`);
  return files;
}
