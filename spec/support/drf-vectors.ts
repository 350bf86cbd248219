/**
 * Loads the DRF conformance vectors: `../shared/vectors/drf.json` next to the repository when it
 * exists, else the copy in `spec/fixtures/drf.json` (so a clone without `../shared` still tests).
 *
 * @example
 * ```ts
 * const { vectors } = loadDrfVectors();
 * for (const v of vectors.valid) it(v.input, () => parseDrf(v.input));
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedVectorsPath = path.resolve(repoRoot, '../shared/vectors/drf.json');
export const fixtureVectorsPath = path.resolve(repoRoot, 'spec/fixtures/drf.json');

export interface VectorEvent {
  mode: string;
  raw: string;
  continuous?: boolean;
  period_ms?: number;
  immediate?: boolean;
  event_number?: number;
  clock_type?: string;
  delay_ms?: number;
  device?: string;
  value?: number;
  expression?: string;
}

export interface ValidVector {
  input: string;
  device: string;
  property: string;
  property_explicit: boolean;
  range: Record<string, unknown> | null;
  field: string | null;
  event: VectorEvent;
  extra: { name: string; raw: string } | null;
  canonical: string;
  note?: string;
}

export interface InvalidVector {
  input: string;
  error: true;
  kind: string;
  reason: string;
  pacsys: 'rejects' | 'accepts';
  pacsys_canonical?: string;
  note?: string;
}

export interface HelperVector {
  input: string;
  output: string;
  pacsys_output?: string;
  note?: string;
}

export interface DrfVectors {
  valid: ValidVector[];
  invalid: InvalidVector[];
  ensure_immediate_event: HelperVector[];
  prepare_for_write: HelperVector[];
  get_device_name: HelperVector[];
  replace_event: (HelperVector & { event: string })[];
  strip_event: HelperVector[];
  builders: { input: string; set: { property?: string; field?: string; range?: string | null; event?: string }; output: string }[];
}

export function loadDrfVectors(): { vectors: DrfVectors; source: string; sharedText: string | null; fixtureText: string | null } {
  const sharedText = fs.existsSync(sharedVectorsPath) ? fs.readFileSync(sharedVectorsPath, 'utf8') : null;
  const fixtureText = fs.existsSync(fixtureVectorsPath) ? fs.readFileSync(fixtureVectorsPath, 'utf8') : null;
  const text = sharedText ?? fixtureText;
  if (text === null) throw new Error(`no DRF vectors at ${sharedVectorsPath} or ${fixtureVectorsPath}`);
  return {
    vectors: JSON.parse(text) as DrfVectors,
    source: sharedText !== null ? sharedVectorsPath : fixtureVectorsPath,
    sharedText,
    fixtureText,
  };
}
