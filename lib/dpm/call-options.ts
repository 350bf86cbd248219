/**
 * Validation of the per-call options and arguments of the client's read and stream functions
 * (io-ts, like `dpm()` options): unknown keys and bad values give one `ConfigError` listing every
 * problem; arguments of the wrong JavaScript type give an `ArgumentError`. Nothing is sent.
 *
 * @module
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { ArgumentError } from '../errors/argument-error.js';
import { ConfigError } from '../errors/config-error.js';

/**
 * Smallest reconnect delay a stream waits, ms: no option can make a reconnect storm against the
 * proxy (`initialDelay` and `maxDelay` below it are refused).
 *
 * @example
 * ```ts
 * client.stream('M:OUTTMP@p,1000', { reconnect: { initialDelay: MIN_RECONNECT_DELAY_MS } });
 * ```
 */
export const MIN_RECONNECT_DELAY_MS = 100;

/**
 * Per-call options of `read`, `get` and `getMany`.
 *
 * @example
 * ```ts
 * client.getMany(['M:OUTTMP', 'G:AMANDA'], { timeout: 2000 });
 * ```
 */
export interface ReadOptions {
  /** Deadline of this call in ms (queueing and connecting included); default the client's `timeouts.operation`. */
  readonly timeout?: number;
}

/**
 * Reconnect policy after validation and defaulting.
 *
 * @example
 * ```ts
 * const r: ResolvedReconnect = { initialDelay: 1000, factor: 2, maxDelay: 30_000, maxAttempts: Infinity };
 * ```
 */
export interface ResolvedReconnect {
  /** First delay, ms (≥ {@link MIN_RECONNECT_DELAY_MS}). */
  readonly initialDelay: number;
  /** Growth per failed attempt (1…10). */
  readonly factor: number;
  /** Largest delay, ms (≥ {@link MIN_RECONNECT_DELAY_MS}). */
  readonly maxDelay: number;
  /** Consecutive failed attempts before giving up. */
  readonly maxAttempts: number;
}

/**
 * Stream options after validation and defaulting.
 *
 * @example
 * ```ts
 * const o = resolveStreamOptions({ reconnect: true }, 'stream');
 * o.reconnect?.initialDelay; // 1000
 * ```
 */
export interface ResolvedStreamOptions {
  /** `undefined`: no reconnect. */
  readonly reconnect: ResolvedReconnect | undefined;
  /** `StartList` model, if any. */
  readonly model: string | undefined;
  /** Staleness reporting: off, derived from each period, or one limit. */
  readonly stale: boolean | { readonly afterMs: number };
}

const refined = <A>(name: string, is: (u: unknown) => u is A, expected: string): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, `expected ${expected}, got ${show(u)}`)), t.identity);

const intIn = (name: string, min: number, max: number): t.Type<number, number, unknown> =>
  refined(name, (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max, `an integer in ${min}…${max}`);

const DAY = 86_400_000;
const delay = intIn('delay', MIN_RECONNECT_DELAY_MS, DAY);
const factor = refined('factor', (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 1 && u <= 10, 'a number in 1…10');
const maxAttempts = refined(
  'maxAttempts',
  (u): u is number => u === Infinity || (typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 1e9),
  'an integer ≥ 0 or Infinity',
);
const timeout = intIn('timeout', 1, DAY);
const afterMs = intIn('afterMs', 1, DAY);
const model = refined('model', (u): u is string => typeof u === 'string' && u.length > 0 && u.length <= 1024, 'a non-empty data source string');

/** Pushes `path: message` for each failure of `codec` on `value`. */
function check<A>(codec: t.Type<A, A, unknown>, value: unknown, path: string, problems: string[]): void {
  const r = codec.decode(value);
  if (isLeft(r)) for (const e of r.left) problems.push(`${path}: ${e.message ?? 'bad value'}`);
}

/** Pushes a problem for each key of `o` not in `known`. */
function unknownKeys(o: object, known: readonly string[], prefix: string, problems: string[]): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) problems.push(`${prefix}${k}: unknown option (expected ${known.join(', ')})`);
}

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

function raise(problems: readonly string[]): never {
  const only = problems.length === 1 ? problems[0]! : undefined;
  throw new ConfigError(only !== undefined ? only.slice(0, only.indexOf(':')) : 'options', problems.join('; '));
}

const STREAM_KEYS = ['reconnect', 'model'] as const;
const STREAM_EVENTS_KEYS = ['reconnect', 'model', 'stale'] as const;
const RECONNECT_KEYS = ['initialDelay', 'factor', 'maxDelay', 'maxAttempts'] as const;

/**
 * Checks and defaults the options of `stream` (`fn = 'stream'`, which refuses `stale`) or
 * `streamEvents`. Throws one `ConfigError` listing every problem.
 *
 * @example
 * ```ts
 * resolveStreamOptions({ reconnect: { initialDelay: 500 } }, 'stream').reconnect?.maxDelay; // 30000
 * resolveStreamOptions({ reconnect: { initialDelay: 0 } }, 'stream'); // throws ConfigError
 * ```
 */
export function resolveStreamOptions(options: unknown, fn: 'stream' | 'streamEvents'): ResolvedStreamOptions {
  if (options === undefined) return { reconnect: undefined, model: undefined, stale: false };
  if (!isPlainObject(options)) throw new ConfigError('options', `expected an object like { reconnect, model }, got ${show(options)}`);
  const problems: string[] = [];
  if (fn === 'stream' && options['stale'] !== undefined) {
    problems.push('stale: stream() does not report staleness; use streamEvents()');
    unknownKeys(options, [...STREAM_KEYS, 'stale'], '', problems);
  } else unknownKeys(options, fn === 'stream' ? STREAM_KEYS : STREAM_EVENTS_KEYS, '', problems);
  if (options['model'] !== undefined) check(model, options['model'], 'model', problems);
  let reconnect: ResolvedReconnect | undefined;
  const rc = options['reconnect'];
  if (rc === true) reconnect = { initialDelay: 1000, factor: 2, maxDelay: 30_000, maxAttempts: Infinity };
  else if (isPlainObject(rc)) {
    unknownKeys(rc, RECONNECT_KEYS, 'reconnect.', problems);
    for (const k of ['initialDelay', 'maxDelay'] as const) if (rc[k] !== undefined) check(delay, rc[k], `reconnect.${k}`, problems);
    if (rc['factor'] !== undefined) check(factor, rc['factor'], 'reconnect.factor', problems);
    if (rc['maxAttempts'] !== undefined) check(maxAttempts, rc['maxAttempts'], 'reconnect.maxAttempts', problems);
    const initial = (rc['initialDelay'] as number | undefined) ?? 1000;
    const max = (rc['maxDelay'] as number | undefined) ?? Math.max(30_000, initial);
    if (rc['initialDelay'] !== undefined && rc['maxDelay'] !== undefined && max < initial) {
      problems.push(`reconnect.maxDelay: ${max} is below reconnect.initialDelay (${initial})`);
    }
    reconnect = {
      initialDelay: initial,
      factor: (rc['factor'] as number | undefined) ?? 2,
      maxDelay: max,
      maxAttempts: (rc['maxAttempts'] as number | undefined) ?? Infinity,
    };
  } else if (rc !== undefined && rc !== false) {
    problems.push(`reconnect: expected true, false or { initialDelay, factor, maxDelay, maxAttempts }, got ${show(rc)}`);
  }
  let stale: boolean | { readonly afterMs: number } = false;
  const st = options['stale'];
  if (fn === 'streamEvents' && st !== undefined) {
    if (typeof st === 'boolean') stale = st;
    else if (isPlainObject(st)) {
      unknownKeys(st, ['afterMs'], 'stale.', problems);
      check(afterMs, st['afterMs'], 'stale.afterMs', problems);
      stale = { afterMs: st['afterMs'] as number };
    } else problems.push(`stale: expected true, false or { afterMs }, got ${show(st)}`);
  }
  if (problems.length > 0) raise(problems);
  return { reconnect, model: options['model'] as string | undefined, stale };
}

/**
 * Checks the options of `read` / `get` / `getMany` and returns the deadline of the call (ms).
 * Throws one `ConfigError` listing every problem.
 *
 * @example
 * ```ts
 * resolveReadOptions({ timeout: 2000 }, 5000); // 2000
 * resolveReadOptions(undefined, 5000);         // 5000
 * ```
 */
export function resolveReadOptions(options: unknown, defaultTimeout: number): number {
  if (options === undefined) return defaultTimeout;
  if (!isPlainObject(options)) throw new ConfigError('options', `expected an object like { timeout }, got ${show(options)}`);
  const problems: string[] = [];
  unknownKeys(options, ['timeout'], '', problems);
  if (options['timeout'] !== undefined) check(timeout, options['timeout'], 'timeout', problems);
  if (problems.length > 0) raise(problems);
  return (options['timeout'] as number | undefined) ?? defaultTimeout;
}

/**
 * Checks that `drf` is a string (its syntax is the DRF parser's to check). Throws `ArgumentError`.
 *
 * @example
 * ```ts
 * checkDrfArgument('read', 'M:OUTTMP'); // 'M:OUTTMP'
 * checkDrfArgument('read', 42);         // throws ArgumentError
 * ```
 */
export function checkDrfArgument(fn: string, drf: unknown, name = 'drf'): string {
  if (typeof drf !== 'string') throw new ArgumentError(fn, name, `expected a DRF string, got ${show(drf)}`);
  return drf;
}

/**
 * Checks that `drfs` is an array of strings without holes (or, with `allowOne`, a single string).
 * Throws `ArgumentError` naming the first bad element.
 *
 * @example
 * ```ts
 * checkDrfList('getMany', ['M:OUTTMP', 'G:AMANDA'], false); // the same array
 * checkDrfList('stream', 'M:OUTTMP@p,1000', true);          // ['M:OUTTMP@p,1000']
 * checkDrfList('getMany', 'M:OUTTMP', false);               // throws ArgumentError
 * ```
 */
export function checkDrfList(fn: string, drfs: unknown, allowOne: boolean): readonly string[] {
  if (allowOne && typeof drfs === 'string') return [drfs];
  if (!Array.isArray(drfs)) {
    const expected = allowOne ? 'a DRF string or an array of DRF strings' : 'an array of DRF strings';
    throw new ArgumentError(fn, 'drfs', `expected ${expected}, got ${show(drfs)}`);
  }
  const list = drfs as readonly unknown[];
  for (let i = 0; i < list.length; i++) {
    if (!(i in list)) throw new ArgumentError(fn, `drfs[${i}]`, 'the array has a hole here (expected a DRF string)');
    if (typeof list[i] !== 'string') throw new ArgumentError(fn, `drfs[${i}]`, `expected a DRF string, got ${show(list[i])}`);
  }
  return list as readonly string[];
}

/**
 * A short description of `u` for messages.
 *
 * @example
 * ```ts
 * show('x'); // '"x"'
 * ```
 */
export function show(u: unknown): string {
  if (typeof u === 'number' || u === undefined || u === null || typeof u === 'boolean') return String(u);
  if (typeof u === 'string') return JSON.stringify(u.length > 60 ? `${u.slice(0, 60)}…` : u);
  if (typeof u === 'function') return 'a function';
  if (typeof u === 'symbol' || typeof u === 'bigint') return typeof u;
  try {
    const s = JSON.stringify(u);
    return s === undefined ? typeof u : s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return typeof u;
  }
}
