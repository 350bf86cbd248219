import { AcsysError } from '../../errors/acsys-error.js';

/**
 * Why a setting value was refused before sending.
 *
 * @example
 * ```ts
 * const r: InvalidSettingReason = 'not-finite';
 * ```
 */
export type InvalidSettingReason =
  /** NaN or ±Infinity, alone or inside an array. */
  | 'not-finite'
  /** An empty array, empty bytes or no text: nothing to set. */
  | 'empty'
  /** Not a setting value: an object that is not an alarm block, a mixed array, a hole in an array, … */
  | 'unsupported'
  /** A word for a CONTROL property that is not ON, OFF or RESET. */
  | 'control-command'
  /** An alarm block that does not fit its DRF or has an unknown or wrong field. */
  | 'alarm-block'
  /** The call's options (e.g. a role) are not valid. */
  | 'options';

/**
 * A setting was refused before anything was sent: its value makes no sense for a device
 * (NaN, ±Infinity, an empty array, a mixed array, an unknown control word, a bad alarm block).
 * No connection is opened for a write that fails this way.
 *
 * @example
 * ```ts
 * client.write('Z:ACLTST', NaN).subscribe({
 *   error: (e) => { if (e instanceof InvalidSettingError) console.error(e.drf, e.reason) },
 * });
 * ```
 */
export class InvalidSettingError extends AcsysError {
  readonly code = 'INVALID_SETTING';
  /** The DRF of the refused setting, as given. */
  readonly drf: string;
  /** What is wrong with it. */
  readonly reason: InvalidSettingReason;

  constructor(drf: string, reason: InvalidSettingReason, detail: string) {
    super(`${drf.length > 60 ? `${drf.slice(0, 57)}...` : drf}: ${detail} (nothing was sent)`);
    this.drf = drf;
    this.reason = reason;
  }
}
