/**
 * The `deadline` operator: one deadline for a whole operation.
 *
 * @module
 */
import { Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { scheduleOnce } from '../transport/timer.js';

/**
 * Errors with `expire()`'s result when the source has not ended within `ms` (on `scheduler` when
 * given: virtual time in tests). Unlike RxJS's `timeout`, `expire` runs **before** the source is
 * unsubscribed, so it can still act on the resources the source holds (a read discards its pooled
 * connection there, before the lease ends and the connection could be lent again).
 *
 * @example
 * ```ts
 * read$.pipe(deadline(5000, () => { lease.discard(); return new TimeoutError(5000, missing, readings); }));
 * ```
 */
export function deadline<T>(ms: number, expire: () => unknown, scheduler?: SchedulerLike): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const cancel = scheduleOnce(() => subscriber.error(expire()), ms, scheduler);
      const sub = source.subscribe(subscriber);
      return () => {
        cancel();
        sub.unsubscribe();
      };
    });
}
