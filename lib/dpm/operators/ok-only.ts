import { filter, type OperatorFunction } from 'rxjs';
import { isOk, type Reading, type ValueReading } from '../reading.js';

/**
 * Successful readings only (a value and a non-failure status); narrows the type.
 *
 * @example
 * ```ts
 * client.stream(['M:OUTTMP@p,1000', 'Z:NOTFND@p,1000']).pipe(okOnly()).subscribe((r) => console.log(r.value));
 * ```
 */
export function okOnly(): OperatorFunction<Reading, ValueReading> {
  return (source) => source.pipe(filter(isOk));
}
