/**
 * ACNET status words: `AcnetStatus`, the well-known constants, the code table and `DeviceError`.
 *
 * @example
 * ```ts
 * import { AcnetStatus, Status, DeviceError } from 'acsys-rx/status';
 * const s = AcnetStatus.fromWord(-4335);
 * s.equals(Status.DPM_PRIV); // true
 * ```
 *
 * @module
 */
export { AcnetStatus } from './acnet-status.js';
export {
  Status,
  ACNET_OK,
  ACNET_PEND,
  ACNET_RETRY,
  ACNET_REQTMO,
  ACNET_NO_NODE,
  DIO_NOATT,
  DIO_TIMEOUT,
  DBM_NOPROP,
  DPM_PEND,
  DPM_PRIV,
  DPM_BAD_REQUEST,
  DPM_NO_SUCH_DEVICE,
  DPM_NO_SUCH_PROP,
  DPM_BAD_RANGE,
  DPM_OUT_OF_BOUNDS,
  DPM_NO_SUCH_FIELD,
  DPM_BAD_EVENT,
  DPM_NO_SUCH_LIST,
  DPM_INVALID_DATASOURCE,
  DPM_BAD_DATASOURCE_FORMAT,
  DPM_INTERNAL_ERROR,
} from './constants.js';
export { DeviceError } from './device-error.js';
export {
  facilities,
  facilityEntry,
  statusEntries,
  statusEntry,
  statusEntryByName,
  type FacilityEntry,
  type StatusEntry,
} from './table.js';
