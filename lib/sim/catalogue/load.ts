/**
 * Loading and validating a device catalogue (an object or a JSON file).
 *
 * @example
 * ```ts
 * const cat = loadCatalogueFile('devices.json'); // throws CatalogueError listing each problem
 * ```
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { CatalogueCodec, type Catalogue, type DeviceSpec, type ValueSpec } from './codec.js';
import { CatalogueError } from './catalogue-error.js';

const NAME_RE = /^[A-Za-z0]:[A-Za-z0-9_:-]{1,62}$/;

/**
 * Validates a catalogue object: structure (io-ts), then device names (`X:NAME`, 3–64
 * characters), unique names (case-insensitive) and indexes, array values (`values` or
 * `length`), and known default events. Returns the catalogue; throws {@link CatalogueError}
 * listing every problem.
 *
 * @example
 * ```ts
 * const cat = loadCatalogue({ devices: [{ name: 'Z:X', index: 1, description: 'd',
 *   reading: { kind: 'scalar', value: 0 } }] });
 * ```
 */
export function loadCatalogue(input: unknown, source?: string): Catalogue {
  const decoded = CatalogueCodec.decode(input);
  if (isLeft(decoded)) throw new CatalogueError(report(decoded.left), source);
  const cat = decoded.right;
  const problems: string[] = [];
  const names = new Map<string, number>();
  const indexes = new Map<number, number>();
  cat.devices.forEach((d, i) => {
    const at = `devices[${i}]`;
    if (!NAME_RE.test(d.name)) problems.push(`${at}.name: ${JSON.stringify(d.name)} is not a device name of the form X:NAME (3-64 characters)`);
    const key = d.name.toUpperCase();
    const prevName = names.get(key);
    if (prevName !== undefined) problems.push(`${at}.name: duplicate device name ${d.name} (also devices[${prevName}])`);
    else names.set(key, i);
    const prevIndex = indexes.get(d.index);
    if (prevIndex !== undefined) problems.push(`${at}.index: duplicate device index ${d.index} (also devices[${prevIndex}])`);
    else indexes.set(d.index, i);
    checkValue(d.reading, `${at}.reading`, problems);
    checkValue(d.setting, `${at}.setting`, problems);
    if (d.defaultEvent !== undefined && !/^(?:[IiNnUu]|[PpQq](?:,.*)?|[Ee],.+)$/.test(d.defaultEvent)) {
      problems.push(`${at}.defaultEvent: ${JSON.stringify(d.defaultEvent)} is not an event (I, N, P…, Q…, E,…)`);
    }
    if (d.fastStream === true && d.reading?.kind !== 'scalar') {
      problems.push(`${at}.fastStream: only a device with a scalar reading can be a fast stream`);
    }
  });
  if (problems.length > 0) throw new CatalogueError(problems, source);
  return cat;
}

/**
 * Reads a JSON catalogue file and validates it with {@link loadCatalogue}.
 *
 * @example
 * ```ts
 * const cat = loadCatalogueFile('./my-devices.json');
 * ```
 */
export function loadCatalogueFile(path: string): Catalogue {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CatalogueError([`cannot read file: ${(e as Error).message}`], path, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CatalogueError([`not valid JSON: ${(e as Error).message}`], path, { cause: e });
  }
  return loadCatalogue(json, path);
}

function checkValue(v: ValueSpec | undefined, at: string, problems: string[]): void {
  if (v?.kind !== 'array') return;
  if ((v.values === undefined) === (v.length === undefined)) {
    problems.push(`${at}: an array value needs exactly one of "values" or "length"`);
  }
}

function report(errors: t.Errors): string[] {
  const out = new Set<string>();
  for (const e of errors) {
    const parts: string[] = [];
    e.context.forEach((c, i) => {
      if (i === 0 || c.key === '') return;
      const parent = e.context[i - 1]?.type;
      if (parent instanceof t.IntersectionType || parent instanceof t.UnionType) return;
      parts.push(/^\d+$/.test(c.key) ? `[${c.key}]` : `${parts.length ? '.' : ''}${c.key}`);
    });
    const path = parts.join('') || '(root)';
    const last = e.context[e.context.length - 1];
    const expected = e.message ?? `expected ${last?.type.name ?? 'value'}`;
    const got = e.value === undefined ? 'missing' : `got ${safeShow(e.value)}`;
    out.add(`${path}: ${expected.startsWith('expected') ? expected : `expected ${expected}`}, ${got}`);
  }
  return [...out];
}

function safeShow(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/**
 * A catalogue device entry after validation (re-exported for convenience).
 *
 * @example
 * ```ts
 * const d: LoadedDevice = loadCatalogue(json).devices[0]!;
 * ```
 */
export type LoadedDevice = DeviceSpec;
