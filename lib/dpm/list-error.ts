import { AcsysError } from '../errors/acsys-error.js';
import type { AcnetStatus } from '../status/acnet-status.js';
import type { Reading } from './reading.js';

/**
 * DPM refused the list as a whole: `StartList_reply` with a non-zero status, or
 * a list-level (`ref_id` 0) `Status_reply` (`dpm-behaviour.md` §10.1). For a
 * read, `readings` holds what had arrived (the rest carry `status`).
 *
 * @example
 * ```ts
 * client.getMany(drfs).subscribe({
 *   error: (e) => { if (e instanceof ListError) console.error(e.status.toString(), e.readings.length) },
 * });
 * ```
 */
export class ListError extends AcsysError {
  readonly code = 'LIST_ERROR';
  /** The list-level status. */
  readonly status: AcnetStatus;
  /** Readings in request order (reads only; empty for streams). */
  readonly readings: readonly Reading[];

  constructor(status: AcnetStatus, detail: string, readings: readonly Reading[] = []) {
    super(`DPM list error ${status.toString()}: ${detail}`);
    this.status = status;
    this.readings = readings;
  }
}
