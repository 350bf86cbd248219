/**
 * The ACNET status words the simulator answers with (`status.md`), as int16 numbers
 * (`facility + 256 × error`).
 *
 * @example
 * ```ts
 * import { SimStatus } from 'acsys-rx/sim';
 * SimStatus.DPM_PRIV; // -4335
 * ```
 *
 * @module
 */

import { AcnetStatus } from '../status/acnet-status.js';

const named = (name: string): number => AcnetStatus.fromName(name).code;

/**
 * Status words used by the simulator (from the project's status table; `DAE_LJ_NO_DATA`
 * (66 −64), which the table does not name, is built from its parts).
 *
 * @example
 * ```ts
 * if (reply.status === SimStatus.DBM_NOPROP) console.log('no such device or property');
 * ```
 */
export const SimStatus = {
  OK: 0,
  ACNET_NO_NODE: named('ACNET_NO_NODE'),
  ACNET_SYS: named('ACNET_SYS'),
  DIO_NOSCALE: named('DIO_NOSCALE'),
  DIO_INVDATA: named('DIO_INVDATA'),
  DIO_INVLEN: named('DIO_INVLEN'),
  DIO_OUT_OF_BOUNDS: named('DIO_OUT_OF_BOUNDS'),
  DIO_RANGE: named('DIO_RANGE'),
  DBM_NOPROP: named('DBM_NOPROP'),
  DPM_PEND: named('DPM_PEND'),
  DPM_PRIV: named('DPM_PRIV'),
  DPM_BAD_REQUEST: named('DPM_BAD_REQUEST'),
  DPM_BAD_RANGE: named('DPM_BAD_RANGE'),
  DPM_OUT_OF_BOUNDS: named('DPM_OUT_OF_BOUNDS'),
  DPM_BAD_EVENT: named('DPM_BAD_EVENT'),
  DPM_BAD_LENGTH: named('DPM_BAD_LENGTH'),
  DPM_INVALID_DATASOURCE: named('DPM_INVALID_DATASOURCE'),
  DPM_BAD_DATASOURCE_FORMAT: named('DPM_BAD_DATASOURCE_FORMAT'),
  DPM_REPLY_OVERFLOW: named('DPM_REPLY_OVERFLOW'),
  DAE_LJ_NO_DATA: AcnetStatus.fromParts(66, -64).code,
} as const;
