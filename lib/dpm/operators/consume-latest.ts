import { Observable, from, type ObservableInput, type OperatorFunction, type Subscription } from 'rxjs';
import type { Reading } from '../reading.js';
import type { BackpressureStats } from './backpressure-stats.js';

/**
 * Backpressure policy "latest value per device": runs `work` for one reading at
 * a time; while it is busy, only the newest pending reading of each device is
 * kept (an older pending one is dropped and counted). Memory is bounded by the
 * number of devices, whatever the stream rate. A device keeps its place in the
 * queue while its pending reading is replaced, so a chatty device cannot starve the others.
 *
 * @example
 * ```ts
 * const stats = newBackpressureStats();
 * client.stream(drfs).pipe(consumeLatest((r) => slowDashboardUpdate(r), { stats })).subscribe();
 * ```
 */
export function consumeLatest<R>(
  work: (r: Reading) => ObservableInput<R>,
  options: { readonly stats?: BackpressureStats } = {},
): OperatorFunction<Reading, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      const stats = options.stats;
      const pending = new Map<string, Reading>();
      let busy = false;
      let draining = false;
      let sourceDone = false;
      let inner: Subscription | undefined;

      const pump = (): void => {
        if (draining) return;
        draining = true;
        while (!busy && !subscriber.closed) {
          const first = pending.entries().next();
          if (first.done) {
            if (sourceDone) subscriber.complete();
            break;
          }
          const [drf, r] = first.value;
          pending.delete(drf);
          if (stats) {
            stats.queued = pending.size;
            stats.processed++;
          }
          busy = true;
          inner = from(work(r)).subscribe({
            next: (v) => subscriber.next(v),
            error: (e: unknown) => subscriber.error(e),
            complete: () => {
              busy = false;
              pump();
            },
          });
        }
        draining = false;
      };

      const sub = source.subscribe({
        next: (r) => {
          if (stats && pending.has(r.drf)) stats.dropped++;
          pending.set(r.drf, r);
          if (stats) {
            stats.queued = pending.size;
            if (pending.size > stats.maxQueued) stats.maxQueued = pending.size;
          }
          pump();
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          sourceDone = true;
          pump();
        },
      });
      return () => {
        sub.unsubscribe();
        inner?.unsubscribe();
      };
    });
}
