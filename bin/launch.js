// Shared by the bin/ launchers: runs a compiled tool from dist/, or explains in one line that the
// package has not been built (a checkout before `npm ci`/`npm run build`) instead of a stack trace.
// The launchers are committed with their execute bit, so no build step can take it away.
import { fileURLToPath } from 'node:url';

/**
 * Imports `dist/lib/cli/<entry>.js` (which runs the tool).
 *
 * @param {string} tool the command name, for the message
 * @param {string} entry the entry module's base name in dist/lib/cli
 */
export async function launch(tool, entry) {
  const url = new URL(`../dist/lib/cli/${entry}.js`, import.meta.url);
  try {
    await import(url.href);
  } catch (e) {
    const missing = e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(fileURLToPath(url));
    if (!missing) throw e;
    const root = fileURLToPath(new URL('..', import.meta.url));
    process.stderr.write(`${tool}: acsys-rx is not built (${fileURLToPath(url)} is missing): run "npm run build" in ${root}\n`);
    process.exitCode = 1;
  }
}
