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

const word = (facility: number, error: number): number => facility + 256 * error;

/**
 * Status words used by the simulator.
 *
 * @example
 * ```ts
 * if (reply.status === SimStatus.DBM_NOPROP) console.log('no such device or property');
 * ```
 */
export const SimStatus = {
  OK: 0,
  ACNET_NO_NODE: word(1, -30),
  ACNET_SYS: word(1, -43),
  DIO_NOSCALE: word(14, -7),
  DIO_INVDATA: word(14, -35),
  DIO_RANGE: word(14, -58),
  DBM_NOPROP: word(16, -13),
  DPM_PEND: word(17, 1),
  DPM_PRIV: word(17, -17),
  DPM_BAD_REQUEST: word(17, -24),
  DPM_BAD_RANGE: word(17, -28),
  DPM_OUT_OF_BOUNDS: word(17, -29),
  DPM_BAD_EVENT: word(17, -33),
  DPM_BAD_LENGTH: word(17, -35),
  DPM_INVALID_DATASOURCE: word(17, -42),
  DPM_BAD_DATASOURCE_FORMAT: word(17, -43),
  DPM_REPLY_OVERFLOW: word(17, -44),
  DAE_LJ_NO_DATA: word(66, -64),
} as const;
