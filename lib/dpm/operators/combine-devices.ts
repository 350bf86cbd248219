import { Observable, asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { DeviceError } from '../../status/device-error.js';
import type { DpmClient } from '../client.js';
import { globalClient } from '../global.js';
import { isOk } from '../reading.js';
import type { StreamOptions } from '../stream.js';
import { ValueTypeError } from '../value-type-error.js';

/** How a value type is named in messages. */
const KIND: Record<string, string> = {
  scalarArray: 'arrays',
  timedScalarArray: 'logged data (timed arrays)',
  text: 'text',
  textArray: 'text arrays',
  raw: 'raw bytes',
  basicStatus: 'basic status records',
  analogAlarm: 'analog alarm blocks',
  digitalAlarm: 'digital alarm blocks',
};

/**
 * Options of {@link combineDevices}: the stream's options, plus what to do
 * while a device fails, and the scheduler of the coalescing flush.
 *
 * @example
 * ```ts
 * combineDevices({ temp: 'M:OUTTMP@p,1000' }, client, { reconnect: true, onDeviceError: 'suppress' });
 * ```
 */
export interface CombineDevicesOptions extends StreamOptions {
  /**
   * While a device's latest reading is a failure (an error reading, including the
   * `ACNET_RETRY` gap readings of a reconnecting stream): `'suppress'` (default)
   * emits nothing until that device has a good value again; `'error'` errors the
   * Observable with `DeviceError` (with `reconnect`, at the first gap).
   */
  readonly onDeviceError?: 'suppress' | 'error';
  /**
   * Where the coalescing flush is scheduled (default `asyncScheduler`, delay 0):
   * readings that arrive together produce one emission. For tests.
   */
  readonly scheduler?: SchedulerLike;
}

/**
 * Combine named scalar devices into one derived signal: one stream (one
 * connection) for all the DRFs; once every device has a good scalar value, new
 * values emit an object with the latest value of each name.
 *
 * - **Never stale.** While any device's latest reading is a failure (an error
 *   reading such as `DBM_NOPROP`, or an `ACNET_RETRY` gap reading while a
 *   reconnecting stream is down), nothing is emitted: a failed device's last good
 *   value is never presented as current. Emission resumes when it reads again.
 *   With `onDeviceError: 'error'`, the first failure errors with `DeviceError` instead.
 * - **One emission per batch.** Readings arriving together (one frame batch, one
 *   tick) produce one object, not one half-updated object per device: emissions
 *   are coalesced with a zero-delay flush on `options.scheduler`.
 * - **Numbers only.** A device whose good value is not a scalar (text, an array, logged data, a
 *   status record…) errors the Observable with {@link ValueTypeError} at its first value: it
 *   could never be part of a combination.
 *
 * Uses the module-level client unless `client` is given.
 *
 * @example
 * ```ts
 * combineDevices({ temp: 'M:OUTTMP@p,1000', amps: 'G:AMANDA@p,1000' }, client)
 *   .pipe(map(({ temp, amps }) => temp * amps))
 *   .subscribe((power) => console.log(power));
 * ```
 */
export function combineDevices<K extends string>(
  devices: Readonly<Record<K, string>>,
  client?: DpmClient,
  options: CombineDevicesOptions = {},
): Observable<Readonly<Record<K, number>>> {
  return new Observable<Readonly<Record<K, number>>>((subscriber) => {
    const { onDeviceError = 'suppress', scheduler = asyncScheduler, ...streamOptions } = options;
    const names = Object.keys(devices) as K[];
    const byDrf = new Map<string, K[]>();
    names.forEach((k) => {
      const d = devices[k];
      byDrf.set(d, [...(byDrf.get(d) ?? []), k]);
    });
    const unique = [...byDrf.keys()];
    const latest: Partial<Record<K, number>> = {};
    /** DRFs whose latest reading is a failure. */
    const failing = new Set<string>();
    let have = 0;
    /** A good value arrived since the last flush. */
    let dirty = false;
    let pending: Subscription | undefined;

    const flush = (): void => {
      pending = undefined;
      if (!dirty || failing.size > 0 || have < names.length) return;
      dirty = false;
      subscriber.next({ ...latest } as Record<K, number>);
    };

    const c = client ?? globalClient();
    const sub = c.stream(unique, streamOptions).subscribe({
      next: (r) => {
        if (!isOk(r)) {
          if (onDeviceError === 'error') {
            subscriber.error(new DeviceError(r.status, r.drf));
            return;
          }
          failing.add(r.drf);
          return;
        }
        if (r.valueType !== 'scalar') {
          const keys = (byDrf.get(r.drf) ?? []).map((k) => JSON.stringify(k)).join(', ');
          subscriber.error(
            new ValueTypeError(
              r.drf,
              r.valueType,
              'scalar',
              `combineDevices: ${keys} (${r.drf}) sends ${KIND[r.valueType] ?? r.valueType}, not numbers: only scalar devices can be combined`,
            ),
          );
          return;
        }
        failing.delete(r.drf);
        for (const k of byDrf.get(r.drf) ?? []) {
          if (latest[k] === undefined) have++;
          latest[k] = r.value;
        }
        dirty = true;
        if (pending === undefined) {
          // a scheduler that runs at once (queueScheduler) has already flushed
          const p = scheduler.schedule(flush, 0);
          if (!p.closed) pending = p;
        }
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => {
        pending?.unsubscribe();
        flush();
        subscriber.complete();
      },
    });
    return () => {
      pending?.unsubscribe();
      sub.unsubscribe();
    };
  });
}
