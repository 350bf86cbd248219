import { Observable, interval, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { parseDrf } from '../drf/parse.js';
import type { GatewayStreamEvent } from './events.js';

/**
 * The staleness limit of each DRF, ms (0: not watched): `true` gives a periodic device
 * (`@p,N` / `@q,N`) 2 × its period + 1 s, as the Node client does; `{ afterMs }` one limit for all.
 *
 * @example
 * ```ts
 * staleLimits(['M:OUTTMP@p,100', 'G:AMANDA@e,02'], true); // [1200, 0]
 * ```
 */
export function staleLimits(drfs: readonly string[], stale: boolean | { readonly afterMs: number } | undefined): number[] {
  return drfs.map((drf) => {
    if (stale === undefined || stale === false) return 0;
    if (stale !== true) return stale.afterMs;
    const e = parseDrf(drf).event;
    return e.kind === 'periodic' && e.periodMs > 0 ? 2 * e.periodMs + 1000 : 0;
  });
}

/**
 * Adds `{ kind: 'stale', drf, silentMs }` events for devices whose last value reading is older
 * than their limit (once per silence; a new value reading ends it). Error readings do not count
 * as data. Checked on `scheduler` every quarter of the smallest limit.
 *
 * @example
 * ```ts
 * events$.pipe(reportStale(['M:OUTTMP@p,100'], [1200], asyncScheduler));
 * ```
 */
export function reportStale(drfs: readonly string[], limits: readonly number[], scheduler: SchedulerLike): MonoTypeOperatorFunction<GatewayStreamEvent> {
  const watched = limits.some((l) => l > 0);
  if (!watched) return (source) => source;
  return (source) =>
    new Observable<GatewayStreamEvent>((subscriber) => {
      const index = new Map<string, number>();
      drfs.forEach((d, i) => {
        if (!index.has(d)) index.set(d, i);
      });
      const t0 = scheduler.now();
      const lastSeen = limits.map(() => t0);
      const stale = limits.map(() => false);
      const smallest = Math.min(...limits.filter((l) => l > 0));
      const check = interval(Math.max(10, smallest / 4), scheduler).subscribe(() => {
        const now = scheduler.now();
        for (let i = 0; i < limits.length; i++) {
          const limit = limits[i]!;
          if (limit <= 0 || stale[i]) continue;
          const silent = now - lastSeen[i]!;
          if (silent >= limit) {
            stale[i] = true;
            subscriber.next({ kind: 'stale', drf: drfs[i]!, silentMs: silent });
          }
        }
      });
      const sub = source.subscribe({
        next: (ev) => {
          if (ev.kind === 'reading' && ev.reading.valueType !== undefined) {
            const i = index.get(ev.reading.drf);
            if (i !== undefined) {
              lastSeen[i] = scheduler.now();
              stale[i] = false;
            }
          }
          subscriber.next(ev);
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        check.unsubscribe();
        sub.unsubscribe();
      };
    });
}
