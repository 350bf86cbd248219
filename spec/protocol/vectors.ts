// Test helpers: load the shared DPM vectors (spec dpm-wire.md §9) and convert
// between their JSON representation and codec values.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared/vectors');
export const fixtureDir = resolve(repoRoot, 'spec/fixtures');

/** Reads a vector file from `../shared/vectors` when present, else from `spec/fixtures`. */
export function vectorText(file: string): string {
  const shared = resolve(sharedDir, file);
  return readFileSync(existsSync(shared) ? shared : resolve(fixtureDir, file), 'utf8');
}

export function loadVectors<T>(file: string): T[] {
  return JSON.parse(vectorText(file)) as T[];
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface MessageVector {
  name: string;
  direction: 'request' | 'reply';
  type: string;
  fields: Record<string, Json>;
  hex: string;
  note?: string;
  decode_error?: string;
  frames?: { type: string; fields: Record<string, Json>; hex: string }[];
}

export interface InvalidVector {
  name: string;
  hex: string;
  category: string;
  layer: 'message' | 'frame';
  direction?: 'request' | 'reply';
  phase?: 'handshake' | 'stream';
  note?: string;
}

export interface DecodeOnlyVector {
  name: string;
  direction: 'request' | 'reply';
  type: string;
  hex: string;
  fields: Record<string, Json>;
  canonical_hex: string;
  note?: string;
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

const INT64_KEYS = new Set(['ref_id', 'timestamp', 'cycle', 'micros']);

function doubleOf(s: string): number {
  switch (s) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
  }
  throw new Error(`bad $double ${s}`);
}

/** JSON vector value → encoder input (int64 strings → bigint, `$hex` → Uint8Array, `$double` → number). */
export function toInput(v: Json, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => toInput(x, key));
  if (typeof v === 'string' && INT64_KEYS.has(key) && /^-?\d+$/.test(v)) return BigInt(v);
  if (v !== null && typeof v === 'object') {
    if (typeof v.$hex === 'string') return fromHex(v.$hex);
    if (typeof v.$double === 'string') return doubleOf(v.$double);
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = toInput(x, k);
    return o;
  }
  return v;
}

/** Encoder input for a vector. */
export function inputMessage(type: string, fields: Record<string, Json>): { type: string } & Record<string, unknown> {
  return { type, ...(toInput(fields) as Record<string, unknown>) };
}

/** Decoded value → JSON vector form (typed arrays → arrays, binaries → `$hex`, specials → `$double`). */
export function toJsonForm(v: unknown): unknown {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $double: 'NaN' };
    if (v === Infinity) return { $double: 'Infinity' };
    if (v === -Infinity) return { $double: '-Infinity' };
    if (Object.is(v, -0)) return { $double: '-0' };
    return v;
  }
  if (v instanceof Uint8Array) return { $hex: toHex(v) };
  if (v instanceof Float64Array) return Array.from(v, toJsonForm);
  if (Array.isArray(v)) return v.map(toJsonForm);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = toJsonForm(x);
    return o;
  }
  return v;
}
