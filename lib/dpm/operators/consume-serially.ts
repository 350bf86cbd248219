/**
 * The engine shared by the backpressure operators `consumeBuffered` and `consumeLatest`: runs
 * `work` for one item at a time and keeps what arrives meanwhile in a bounded store, which
 * decides what waits and what is dropped.
 *
 * @module
 */
import { Observable, from, type ObservableInput, type OperatorFunction, type Subscription } from 'rxjs';
import type { BackpressureStats } from './backpressure-stats.js';

/**
 * Where items wait while `work` is busy (one store per subscription). The store drops (and
 * counts) what it cannot keep.
 *
 * @example
 * ```ts
 * const fifo: Pending<number> = { size: () => q.length, add: (x) => q.push(x), take: () => q.shift()! };
 * ```
 */
export interface Pending<T> {
  /** How many items wait. */
  size(): number;
  /** Keeps an arrived item (or drops one); `busy` is true while `work` runs. */
  add(item: T, busy: boolean): void;
  /** Removes and returns the next item; called only when `size() > 0`. */
  take(): T;
}

/**
 * An operator running `work` for one item at a time, the others waiting in the store made by
 * `pending` for each subscription; keeps `stats.queued`, `maxQueued` and `processed` (the
 * store counts `dropped`). Completes once the source did and nothing is left.
 *
 * @example
 * ```ts
 * source.pipe(consumeSerially(save, stats, () => fifoStore()));
 * ```
 */
export function consumeSerially<T, R>(
  work: (item: T) => ObservableInput<R>,
  stats: BackpressureStats | undefined,
  pending: () => Pending<T>,
): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      const store = pending();
      let busy = false;
      let draining = false;
      let sourceDone = false;
      let inner: Subscription | undefined;

      const pump = (): void => {
        if (draining) return;
        draining = true;
        while (!busy && !subscriber.closed) {
          if (store.size() === 0) {
            if (sourceDone) subscriber.complete();
            break;
          }
          const item = store.take();
          if (stats) {
            stats.queued = store.size();
            stats.processed++;
          }
          busy = true;
          inner = from(work(item)).subscribe({
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
        next: (item) => {
          store.add(item, busy);
          if (stats) {
            stats.queued = store.size();
            if (stats.queued > stats.maxQueued) stats.maxQueued = stats.queued;
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
