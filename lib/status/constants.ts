/**
 * Well-known ACNET statuses as `AcnetStatus` instances.
 *
 * @module
 */
import { AcnetStatus } from './acnet-status.js';

const s = (name: string): AcnetStatus => AcnetStatus.fromName(name);

/** Success (0 0). @example `reading.status.equals(ACNET_OK)` */
export const ACNET_OK = AcnetStatus.OK;
/** Request pending (1 1). @example `ACNET_PEND.isWarning // true` */
export const ACNET_PEND = s('ACNET_PEND');
/** Retry (1 −1): the synthetic status for client-side connection failures. @example `ACNET_RETRY.code // -255` */
export const ACNET_RETRY = s('ACNET_RETRY');
/** Request timed out (1 −6): the synthetic status for client-side timeouts. @example `ACNET_REQTMO.code // -1535` */
export const ACNET_REQTMO = s('ACNET_REQTMO');
/** The replying task went away (1 −34): a write whose connection was lost after the setting was sent (outcome unknown). @example `ACNET_DISCONNECTED.code // -8703` */
export const ACNET_DISCONNECTED = s('ACNET_DISCONNECTED');
/** No such node (1 −30): no logger could serve a logger request. @example `ACNET_NO_NODE.facility // 1` */
export const ACNET_NO_NODE = s('ACNET_NO_NODE');
/** Attribute does not exist for device (14 −6). @example `DIO_NOATT.name // 'DIO_NOATT'` */
export const DIO_NOATT = s('DIO_NOATT');
/** Front end timeout (14 −43). @example `DIO_TIMEOUT.facility // 14` */
export const DIO_TIMEOUT = s('DIO_TIMEOUT');
/** Device has no such property / unknown device (16 −13). @example `DBM_NOPROP.code // -3312` */
export const DBM_NOPROP = s('DBM_NOPROP');
/** Request pending, no data yet (17 1). @example `DPM_PEND.isWarning // true` */
export const DPM_PEND = s('DPM_PEND');
/** Not privileged to set (17 −17). @example `DPM_PRIV.code // -4335` */
export const DPM_PRIV = s('DPM_PRIV');
/** Malformed request (17 −24). @example `DPM_BAD_REQUEST.errorNumber // -24` */
export const DPM_BAD_REQUEST = s('DPM_BAD_REQUEST');
/** Device not found (17 −26). @example `DPM_NO_SUCH_DEVICE.errorNumber // -26` */
export const DPM_NO_SUCH_DEVICE = s('DPM_NO_SUCH_DEVICE');
/** Device has no such property (17 −27). @example `DPM_NO_SUCH_PROP.errorNumber // -27` */
export const DPM_NO_SUCH_PROP = s('DPM_NO_SUCH_PROP');
/** Bad array range (17 −28). @example `DPM_BAD_RANGE.errorNumber // -28` */
export const DPM_BAD_RANGE = s('DPM_BAD_RANGE');
/** Array range out of bounds (17 −29). @example `DPM_OUT_OF_BOUNDS.errorNumber // -29` */
export const DPM_OUT_OF_BOUNDS = s('DPM_OUT_OF_BOUNDS');
/** Bad DRF field (17 −32). @example `DPM_NO_SUCH_FIELD.errorNumber // -32` */
export const DPM_NO_SUCH_FIELD = s('DPM_NO_SUCH_FIELD');
/** Bad event (17 −33). @example `DPM_BAD_EVENT.code // -8431` */
export const DPM_BAD_EVENT = s('DPM_BAD_EVENT');
/** No such list (17 −37). @example `DPM_NO_SUCH_LIST.errorNumber // -37` */
export const DPM_NO_SUCH_LIST = s('DPM_NO_SUCH_LIST');
/** Unknown data source (17 −42). @example `DPM_INVALID_DATASOURCE.errorNumber // -42` */
export const DPM_INVALID_DATASOURCE = s('DPM_INVALID_DATASOURCE');
/** Badly formed data source (17 −43). @example `DPM_BAD_DATASOURCE_FORMAT.errorNumber // -43` */
export const DPM_BAD_DATASOURCE_FORMAT = s('DPM_BAD_DATASOURCE_FORMAT');
/** DPM internal error (17 −45). @example `DPM_INTERNAL_ERROR.errorNumber // -45` */
export const DPM_INTERNAL_ERROR = s('DPM_INTERNAL_ERROR');

/**
 * The well-known statuses in one frozen object (`Status.OK`, `Status.DPM_PRIV`, ...). Any other
 * named code: `AcnetStatus.fromName(name)`.
 *
 * @example
 * ```ts
 * if (reading.status.equals(Status.DPM_PEND)) console.log('no data yet');
 * ```
 */
export const Status = Object.freeze({
  /** Success: the same as `ACNET_OK`. */
  OK: ACNET_OK,
  ACNET_OK,
  ACNET_DISCONNECTED,
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
});
