import { DrfError, type DrfErrorPart } from '../drf/errors.js';
import type { AcsysError } from '../errors/acsys-error.js';
import { ListError } from '../dpm/list-error.js';
import { AcnetStatus } from '../status/acnet-status.js';
import { GatewayError } from './gateway-error.js';
import type { WireError } from './wire.js';

const PARTS: readonly string[] = ['syntax', 'device', 'property', 'range', 'field', 'event', 'extra'];

/**
 * The error a browser user meets for an error the gateway reported: a `DrfError` for a bad
 * DRF (as the Node client throws), a `ListError` for a list DPM refused, otherwise a
 * `GatewayError` (`limit`, `bad_request`, or `upstream` with the gateway-side `remoteCode`).
 *
 * @example
 * ```ts
 * const e = errorFromWire({ code: 'LIMIT', message: 'too many subscriptions (limit 100)' });
 * e instanceof GatewayError && e.reason === 'limit'; // true
 * ```
 */
export function errorFromWire(w: WireError): AcsysError {
  if (w.code === 'DRF_ERROR' && typeof w.input === 'string' && typeof w.position === 'number' && typeof w.part === 'string' && PARTS.includes(w.part)) {
    return new DrfError(w.input, w.position, w.part as DrfErrorPart, w.detail ?? w.message);
  }
  if (w.code === 'LIST_ERROR' && typeof w.status === 'number' && Number.isInteger(w.status) && w.status >= -32768 && w.status <= 65535) {
    const status = AcnetStatus.fromWord(w.status);
    // ListError prefixes "DPM list error <status>: "; keep only the detail the gateway had
    const prefix = `DPM list error ${status.toString()}: `;
    return new ListError(status, w.message.startsWith(prefix) ? w.message.slice(prefix.length) : w.message);
  }
  if (w.code === 'LIMIT') return new GatewayError('limit', w.message, { remoteCode: w.code });
  if (w.code === 'BAD_REQUEST') return new GatewayError('bad_request', w.message, { remoteCode: w.code });
  return new GatewayError('upstream', `gateway: ${w.message}`, { remoteCode: w.code });
}
