import type { ObservableInput, OperatorFunction } from 'rxjs';
import type { Reading } from '../reading.js';
import type { BackpressureStats } from './backpressure-stats.js';
import { consumeSerially, type Pending } from './consume-serially.js';

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
  const stats = options.stats;
  return consumeSerially(work, stats, (): Pending<Reading> => {
    const pending = new Map<string, Reading>(); // insertion order: a replaced reading keeps its place
    return {
      size: () => pending.size,
      add(r) {
        if (stats && pending.has(r.drf)) stats.dropped++;
        pending.set(r.drf, r);
      },
      take() {
        const [drf, r] = pending.entries().next().value!;
        pending.delete(drf);
        return r;
      },
    };
  });
}
