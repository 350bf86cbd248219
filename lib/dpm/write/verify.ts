/**
 * Optional read-back verification of settings (`{ verify: { tolerance, delayMs } }`).
 *
 * @module
 */
import { asyncScheduler, concatMap, defer, map, of, take, timer, type Observable, type SchedulerLike } from 'rxjs';
import { toCanonical } from '../../drf/canonical.js';
import { stripEvent, writeRequest } from '../../drf/helpers.js';
import type { ReadingValue } from '../reading.js';
import { isOk, type Reading } from '../reading.js';
import type { WriteVerification } from './result.js';
import type { SettingValue } from './setting-value.js';

/**
 * Verification options: numbers match when `|read − written| ≤ tolerance` (default 0: exact);
 * the read-back starts `delayMs` after the write (default 0).
 *
 * @example
 * ```ts
 * client.write('Z:ACLTST', 1.5, { verify: { tolerance: 1e-6, delayMs: 100 } });
 * ```
 */
export interface VerifyOptions {
  readonly tolerance?: number;
  readonly delayMs?: number;
}

/**
 * One setting to verify.
 *
 * @example
 * ```ts
 * const c: VerifyCheck = { drf: 'Z:ACLTST', value: 42 };
 * ```
 */
export interface VerifyCheck {
  readonly drf: string;
  readonly value: SettingValue;
}

/**
 * The DRF to read a setting back with (the write target without its `@N` event), or
 * `undefined` when the setting cannot be read back (`CONTROL`).
 *
 * @example
 * ```ts
 * readbackDrf('Z:ACLTST');              // 'Z:ACLTST.SETTING'
 * readbackDrf('Z:ACLTST.ANALOG.MIN');   // 'Z:ACLTST.ANALOG.MIN'
 * readbackDrf('Z:ACLTST.STATUS.ON');    // undefined
 * ```
 */
export function readbackDrf(drf: string): string | undefined {
  const w = writeRequest(drf);
  if (w.property === 'CONTROL') return undefined;
  return toCanonical(stripEvent(w));
}

function numbersOf(v: ReadingValue): readonly number[] | undefined {
  if (typeof v === 'number') return [v];
  if (v instanceof Float64Array) return Array.from(v);
  return undefined;
}

/**
 * Compares a written value with the value read back.
 *
 * @example
 * ```ts
 * matches(1.5, 1.5000001, 1e-6); // true
 * matches('on', 'off', 0);       // false
 * ```
 */
export function matches(written: SettingValue, read: ReadingValue, tolerance: number): boolean {
  if (written instanceof Uint8Array) {
    return read instanceof Uint8Array && read.length === written.length && read.every((b, i) => b === written[i]);
  }
  if (typeof written === 'string') return typeof read === 'string' ? read === written : Array.isArray(read) && read.length === 1 && read[0] === written;
  if (typeof written === 'number' || written instanceof Float64Array || written.every((x) => typeof x === 'number')) {
    const want = typeof written === 'number' ? [written] : Array.from(written as ArrayLike<number>);
    const got = numbersOf(read);
    return got !== undefined && got.length === want.length && got.every((g, i) => Math.abs(g - want[i]!) <= tolerance);
  }
  const texts = written as readonly string[];
  return Array.isArray(read) && read.length === texts.length && read.every((t, i) => t === texts[i]);
}

/**
 * Reads every check back in one `getMany` (after `delayMs`) and compares; emits one verification
 * per check, in order.
 *
 * @example
 * ```ts
 * const v = await firstValueFrom(verifySettings([{ drf: 'Z:ACLTST', value: 42 }], (d) => client.getMany(d), {}));
 * v[0]?.ok; // true
 * ```
 */
export function verifySettings(
  checks: readonly VerifyCheck[],
  getMany: (drfs: readonly string[]) => Observable<Reading[]>,
  options: VerifyOptions,
  scheduler?: SchedulerLike,
): Observable<WriteVerification[]> {
  const tolerance = options.tolerance ?? 0;
  const drfs = checks.map((c) => readbackDrf(c.drf));
  const toRead = drfs.filter((d): d is string => d !== undefined);
  const read$ = toRead.length > 0 ? defer(() => getMany(toRead)).pipe(take(1)) : of<Reading[]>([]);
  const delayMs = options.delayMs ?? 0;
  return (delayMs > 0 ? timer(delayMs, scheduler ?? asyncScheduler).pipe(concatMap(() => read$)) : read$).pipe(
    map((readings) => {
      let k = 0;
      return checks.map((c, i): WriteVerification => {
        if (drfs[i] === undefined) return { ok: false, reason: 'a CONTROL setting cannot be read back' };
        const r = readings[k++]!;
        if (!isOk(r)) return { ok: false, status: r.status, reason: `read-back failed: ${r.status.toString()}` };
        const ok = matches(c.value, r.value, tolerance);
        return ok ? { ok, readback: r.value } : { ok, readback: r.value, reason: 'the value read back differs' };
      });
    }),
  );
}
