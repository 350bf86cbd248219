/**
 * The layering of lib/ (ARCHITECTURE.md): each folder imports only the folders
 * below it, and no module imports itself through others.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { importCycles, importGraph, layerOf } from './support/import-graph.js';

/** The package's public entry points (package.json `exports`) as lib/ files, e.g. `sim/index.ts`. */
function entryPoints(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, string | { default: string }> };
  return Object.values(pkg.exports)
    .filter((e): e is { default: string } => typeof e === 'object')
    .map((e) => e.default.replace(/^\.\/dist\/lib\//, '').replace(/\.js$/, '.ts'));
}

/** Folder → the folders it may import from. */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  status: ['errors'],
  protocol: ['errors'],
  auth: ['errors'],
  drf: ['errors', 'status'],
  transport: ['errors', 'protocol'],
  dpm: ['errors', 'status', 'protocol', 'drf', 'transport', 'auth'],
  sim: ['errors', 'status', 'protocol', 'drf', 'auth'],
  // the browser client shares the Node client's types and pure helpers (no Node built-ins: spec/web/bundle.spec.ts)
  browser: ['errors', 'status', 'drf', 'dpm'],
  web: ['errors', 'status', 'protocol', 'drf', 'transport', 'dpm', 'browser'],
  // and only through the entry points: see 'the CLI uses only the public entry points'
  cli: ['errors', 'status', 'protocol', 'drf', 'transport', 'auth', 'dpm', 'sim', 'web', 'index'],
  index: ['errors', 'status', 'protocol', 'drf', 'transport', 'dpm'],
};

describe('layers of lib/', () => {
  const graph = importGraph(new URL('../lib', import.meta.url).pathname);

  it('every folder imports only the folders below it', () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      const allowed = ALLOWED[from];
      expect(allowed, `a layer for ${file}`).to.not.equal(undefined);
      for (const t of targets) {
        const to = layerOf(t);
        if (to !== from && !allowed!.includes(to)) violations.push(`${file} → ${t}`);
      }
    }
    expect(violations).to.deep.equal([]);
  });

  it('the CLI uses only the public entry points (and its own files)', () => {
    const entries = entryPoints();
    expect(entries).to.include.members(['index.ts', 'sim/index.ts', 'web/index.ts', 'auth/index.ts']);
    for (const e of entries) expect(graph.has(e), `entry point ${e} exists`).to.equal(true);
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      if (layerOf(file) !== 'cli') continue;
      for (const t of targets) if (layerOf(t) !== 'cli' && !entries.includes(t)) violations.push(`${file} → ${t}`);
    }
    expect(violations).to.deep.equal([]);
  });

  it('has no import cycle between files', () => {
    expect(importCycles(graph)).to.deep.equal([]);
  });

  it('finds cycles and folder imports (the check itself)', () => {
    const g = new Map([
      ['a/x.ts', ['b/y.ts']],
      ['b/y.ts', ['a/x.ts', 'b/z.ts']],
      ['b/z.ts', []],
    ]);
    expect(importCycles(g)).to.deep.equal([['a/x.ts', 'b/y.ts']]);
    expect(graph.get('dpm/index.ts')).to.include('dpm/client.ts');
    expect(graph.get('dpm/index.ts')).to.include('dpm/read-failure.ts'); // a side-effect import
    expect(layerOf('index.ts')).to.equal('index');
  });
});
