import { AcsysError } from '../errors/acsys-error.js';
import type { AcnetStatus } from './acnet-status.js';

/**
 * A device-level failure reported by DPM (or synthesised by the client): carries the ACNET status
 * and the DRF request it concerns. Message: `<drf>: <status>`, e.g.
 * `M:NOSUCH: DBM_NOPROP (16 -13): device has no such property`.
 *
 * @example
 * ```ts
 * const err = new DeviceError(DBM_NOPROP, 'M:NOSUCH');
 * err.code;          // 'DEVICE_ERROR'
 * err.status.name;   // 'DBM_NOPROP'
 * err.drf;           // 'M:NOSUCH'
 * ```
 */
export class DeviceError extends AcsysError {
  readonly code = 'DEVICE_ERROR' as const;
  /** The status DPM returned for the request. */
  readonly status: AcnetStatus;
  /** The DRF text of the request concerned. */
  readonly drf: string;

  constructor(status: AcnetStatus, drf: string, options?: { cause?: unknown }) {
    super(`${drf}: ${status.toString()}`, options);
    this.status = status;
    this.drf = drf;
  }
}
