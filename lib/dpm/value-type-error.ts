import { AcsysError } from '../errors/acsys-error.js';
import type { ValueType } from './reading.js';

/**
 * A device answered with a value of a type the operation cannot use: `combineDevices` of a text
 * or array device (it combines numbers), `device(…).status()` of a device whose STATUS is not a
 * basic status. Raised at the first such value instead of waiting for one that can never come.
 *
 * @example
 * ```ts
 * combineDevices({ t: 'M:OUTTMP@p,1000', txt: 'Z:TEXTDEV@p,1000' }).subscribe({
 *   error: (e) => {
 *     if (e instanceof ValueTypeError) console.error(e.drf, e.valueType, e.expected); // Z:TEXTDEV@p,1000 text scalar
 *   },
 * });
 * ```
 */
export class ValueTypeError extends AcsysError {
  readonly code = 'VALUE_TYPE';
  /** The request (DRF as given) whose value did not fit. */
  readonly drf: string;
  /** The type of the value it sent. */
  readonly valueType: ValueType;
  /** The type the operation needs. */
  readonly expected: ValueType;

  constructor(drf: string, valueType: ValueType, expected: ValueType, message: string) {
    super(message);
    this.drf = drf;
    this.valueType = valueType;
    this.expected = expected;
  }
}
