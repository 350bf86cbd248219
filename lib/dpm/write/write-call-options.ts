/**
 * Validation of the per-call options of `write` / `writeMany` (io-ts, like `dpm()` options).
 *
 * @module
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { ConfigError } from '../../errors/config-error.js';
import type { VerifyOptions } from './verify.js';
import { isValidRole } from './write-options.js';

/**
 * Per-call options of `write` / `writeMany`.
 *
 * @example
 * ```ts
 * client.write('Z:ACLTST', 42, { role: 'testing', verify: { tolerance: 0.01 } });
 * ```
 */
export interface WriteCallOptions {
  /** Overrides the client's `role` for this call. */
  readonly role?: string;
  /** Read the values back after a successful write and compare (`true`: exact). */
  readonly verify?: boolean | VerifyOptions;
}

const refined = <A>(name: string, is: (u: unknown) => u is A, expected: string): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, `expected ${expected}, got ${show(u)}`)), t.identity);

const role = refined('role', isValidRole, 'a role name ([A-Za-z0-9_.-]+)');
const tolerance = refined('tolerance', (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0, 'a finite number ≥ 0');
const delayMs = refined('delayMs', (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 600_000, 'an integer number of ms in 0…600000');

const KNOWN = new Set(['role', 'verify']);
const KNOWN_VERIFY = new Set(['tolerance', 'delayMs']);

/**
 * Checks `options` of a write call: unknown keys and bad values throw one `ConfigError` listing
 * every problem; nothing is sent.
 *
 * @example
 * ```ts
 * validateWriteCallOptions({ role: 'testing' }); // { role: 'testing' }
 * validateWriteCallOptions({ verify: { tolerance: -1 } }); // throws ConfigError
 * ```
 */
export function validateWriteCallOptions(options: unknown): WriteCallOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError('options', `expected an object like { role, verify }, got ${show(options)}`);
  }
  const problems: string[] = [];
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) problems.push(`${k}: unknown option (expected role, verify)`);
  if (o['role'] !== undefined) check(role, o['role'], 'role', problems);
  const v = o['verify'];
  if (v !== undefined && typeof v !== 'boolean') {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) problems.push(`verify: expected true, false or { tolerance, delayMs }, got ${show(v)}`);
    else {
      const vo = v as Record<string, unknown>;
      for (const k of Object.keys(vo)) if (!KNOWN_VERIFY.has(k)) problems.push(`verify.${k}: unknown option (expected tolerance, delayMs)`);
      if (vo['tolerance'] !== undefined) check(tolerance, vo['tolerance'], 'verify.tolerance', problems);
      if (vo['delayMs'] !== undefined) check(delayMs, vo['delayMs'], 'verify.delayMs', problems);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems.length === 1 ? problems[0]!.slice(0, problems[0]!.indexOf(':')) : 'options', problems.join('; '));
  }
  return o as WriteCallOptions;
}

function check<A>(codec: t.Type<A, A, unknown>, value: unknown, path: string, problems: string[]): void {
  const r = codec.decode(value);
  if (isLeft(r)) for (const e of r.left) problems.push(`${path}: ${e.message ?? 'bad value'}`);
}

function show(u: unknown): string {
  if (typeof u === 'number' || u === undefined || u === null || typeof u === 'boolean') return String(u);
  if (typeof u === 'string') return JSON.stringify(u);
  try {
    return JSON.stringify(u) ?? typeof u;
  } catch {
    return typeof u;
  }
}
