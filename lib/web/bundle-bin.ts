/**
 * `node dist/lib/web/bundle-bin.js DIR`: writes the page's files into DIR (part of `npm run build`).
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePage } from './bundle.js';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: bundle-bin DIR\n');
  process.exitCode = 2;
} else {
  const assets = await bundlePage();
  mkdirSync(dir, { recursive: true });
  for (const [name, a] of assets) writeFileSync(join(dir, name), a.body);
  process.stdout.write(`page: ${[...assets].map(([n, a]) => `${n} ${a.body.length} B`).join(', ')}\n`);
}
