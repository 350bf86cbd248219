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
export * from './constants.js'; // Status and the well-known status constants
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
