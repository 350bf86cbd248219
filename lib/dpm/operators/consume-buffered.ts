import type { ObservableInput, OperatorFunction } from 'rxjs';
import type { BackpressureStats } from './backpressure-stats.js';
import { consumeSerially, type Pending } from './consume-serially.js';

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
  const stats = options.stats;
  return consumeSerially(work, stats, (): Pending<T> => {
    const queue: T[] = [];
    let head = 0;
    const length = (): number => queue.length - head;
    return {
      size: length,
      add(item, busy) {
        if (busy && length() >= size) {
          if (stats) stats.dropped++;
          options.onDrop?.(stats ? stats.dropped : 1);
          if (!dropOldest || size === 0) return;
          queue[head++] = undefined as T;
        }
        queue.push(item);
      },
      take() {
        const item = queue[head]!;
        queue[head++] = undefined as T;
        if (length() === 0) {
          queue.length = 0;
          head = 0;
        } else if (head > 1024 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        return item;
      },
    };
  });
}
