import { Observable, from, type ObservableInput, type OperatorFunction, type Subscription } from 'rxjs';
import type { BackpressureStats } from './backpressure-stats.js';

/**
 * Options of {@link consumeBuffered}.
 *
 * @example
 * ```ts
 * const o: BufferedOptions = { size: 10_000, overflow: 'drop-newest' };
 * ```
 */
export interface BufferedOptions {
  /** Most items waiting while `work` is busy. */
  readonly size: number;
  /** Which item to discard when full (default `drop-newest`, as pacsys). */
  readonly overflow?: 'drop-newest' | 'drop-oldest';
  /** Counters (dropped = overflow count). */
  readonly stats?: BackpressureStats;
  /** Called for each dropped item. */
  readonly onDrop?: (dropped: number) => void;
}

/**
 * Backpressure policy "bounded buffer": runs `work` for one item at a time;
 * items arriving meanwhile wait in a buffer of at most `size`; beyond that they
 * are dropped (newest or oldest) and counted — never unbounded growth.
 *
 * @example
 * ```ts
 * const stats = newBackpressureStats();
 * client.stream('M:OUTTMP@p,100').pipe(consumeBuffered((r) => db.insert(r), { size: 1000, stats })).subscribe();
 * ```
 */
export function consumeBuffered<T, R>(
  work: (item: T) => ObservableInput<R>,
  options: BufferedOptions,
): OperatorFunction<T, R> {
  const size = Math.max(0, Math.floor(options.size));
  const dropOldest = options.overflow === 'drop-oldest';
  return (source) =>
    new Observable<R>((subscriber) => {
      const stats = options.stats;
      const queue: T[] = [];
      let head = 0;
      let busy = false;
      let draining = false;
      let sourceDone = false;
      let inner: Subscription | undefined;
      const length = (): number => queue.length - head;

      const drop = (): void => {
        if (stats) stats.dropped++;
        options.onDrop?.(stats ? stats.dropped : 1);
      };

      const pump = (): void => {
        if (draining) return;
        draining = true;
        while (!busy && !subscriber.closed) {
          if (length() === 0) {
            queue.length = 0;
            head = 0;
            if (sourceDone) subscriber.complete();
            break;
          }
          const item = queue[head]!;
          queue[head++] = undefined as T;
          if (head > 1024 && head * 2 > queue.length) {
            queue.splice(0, head);
            head = 0;
          }
          if (stats) {
            stats.queued = length();
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
          if (busy && length() >= size) {
            drop();
            if (!dropOldest || size === 0) return;
            queue[head++] = undefined as T;
          }
          queue.push(item);
          if (stats) {
            stats.queued = length();
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
