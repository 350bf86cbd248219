import { Observable, type OperatorFunction } from 'rxjs';
import type { Reading } from '../reading.js';

/**
 * The latest reading of every device seen so far, keyed by DRF: emits a new
 * read-only `Map` snapshot after each reading (memory bounded by the number of
 * devices). Handy for dashboards that redraw a table.
 *
 * @example
 * ```ts
 * client.stream(['M:OUTTMP@p,1000', 'G:AMANDA@p,1000']).pipe(latestPerDevice(), auditTime(250))
 *   .subscribe((table) => render([...table.values()]));
 * ```
 */
export function latestPerDevice(): OperatorFunction<Reading, ReadonlyMap<string, Reading>> {
  return (source) =>
    new Observable<ReadonlyMap<string, Reading>>((subscriber) => {
      const latest = new Map<string, Reading>();
      return source.subscribe({
        next: (r) => {
          latest.set(r.drf, r);
          subscriber.next(new Map(latest));
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
