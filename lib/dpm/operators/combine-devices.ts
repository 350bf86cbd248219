import { Observable } from 'rxjs';
import type { DpmClient } from '../client.js';
import { globalClient } from '../global.js';
import type { StreamOptions } from '../stream.js';

/**
 * Combine named scalar devices into one derived signal: one stream (one
 * connection) for all the DRFs; after every device has a good scalar value,
 * every new value emits an object with the latest value of each name. Failed
 * readings and non-scalar values are skipped. Uses the module-level client
 * unless `client` is given.
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
  options?: StreamOptions,
): Observable<Readonly<Record<K, number>>> {
  return new Observable<Readonly<Record<K, number>>>((subscriber) => {
    const names = Object.keys(devices) as K[];
    const byDrf = new Map<string, K[]>();
    names.forEach((k) => {
      const d = devices[k];
      byDrf.set(d, [...(byDrf.get(d) ?? []), k]);
    });
    const unique = [...byDrf.keys()];
    const latest: Partial<Record<K, number>> = {};
    let have = 0;
    const c = client ?? globalClient();
    return c.stream(unique, options).subscribe({
      next: (r) => {
        if (r.valueType !== 'scalar' || r.status.isFailure) return;
        for (const k of byDrf.get(r.drf) ?? []) {
          if (latest[k] === undefined) have++;
          latest[k] = r.value;
        }
        if (have === names.length) subscriber.next({ ...latest } as Record<K, number>);
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
  });
}
