import { filter, map, type OperatorFunction } from 'rxjs';
import type { ReadingValue } from '../client.js';
import { isOk, type Reading } from '../reading.js';

/**
 * Values only: drops readings without a value or with a failure status, emits `reading.value`.
 *
 * @example
 * ```ts
 * client.stream('M:OUTTMP@p,1000').pipe(values()).subscribe((v) => console.log(v));
 * ```
 */
export function values(): OperatorFunction<Reading, ReadingValue> {
  return (source) =>
    source.pipe(
      filter(isOk),
      map((r) => r.value),
    );
}
