import { AcsysError } from '../errors/acsys-error.js';
import type { Reading } from './reading.js';

/**
 * A read's deadline passed before every device answered (queueing for a pooled
 * connection and connecting count against the same deadline). `missing` names
 * the devices without an answer; `readings` holds one reading per request in
 * request order: the real ones that arrived, and `ACNET_REQTMO` error readings
 * for the missing ones. Not RxJS's `TimeoutError`.
 *
 * @example
 * ```ts
 * client.getMany(['M:OUTTMP', 'Z:SLOW']).subscribe({
 *   error: (e) => {
 *     if (e instanceof TimeoutError) console.log(e.missing, e.readings.filter(isOk));
 *   },
 * });
 * ```
 */
export class TimeoutError extends AcsysError {
  readonly code = 'TIMEOUT';
  /** DRFs (as given) that did not answer in time. */
  readonly missing: readonly string[];
  /** Every reading in request order, missing ones as `ACNET_REQTMO` error readings. */
  readonly readings: readonly Reading[];

  constructor(timeoutMs: number, missing: readonly string[], readings: readonly Reading[]) {
    super(
      `no answer within ${timeoutMs} ms from ${missing.length} of ${readings.length} device(s): ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
    );
    this.missing = missing;
    this.readings = readings;
  }
}
