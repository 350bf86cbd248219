/**
 * Counters kept by the backpressure operators (`consumeLatest`,
 * `consumeBuffered`): pass an object and read it at any time.
 *
 * @example
 * ```ts
 * const stats = newBackpressureStats();
 * readings$.pipe(consumeBuffered(save, { size: 1000, stats })).subscribe();
 * setInterval(() => console.log(stats.dropped, stats.maxQueued), 10_000);
 * ```
 */
export interface BackpressureStats {
  /** Readings discarded (overwritten by a newer one, or overflowed). */
  dropped: number;
  /** Readings waiting now. */
  queued: number;
  /** Most readings ever waiting at once. */
  maxQueued: number;
  /** Readings handed to the consumer. */
  processed: number;
}

/**
 * A zeroed {@link BackpressureStats}.
 *
 * @example
 * ```ts
 * const stats = newBackpressureStats();
 * ```
 */
export function newBackpressureStats(): BackpressureStats {
  return { dropped: 0, queued: 0, maxQueued: 0, processed: 0 };
}
