/**
 * The `AcnetStatus` value type (status.md).
 *
 * @module
 */
import { facilityEntry, statusEntry, statusEntryByName, type StatusEntry } from './table.js';

const cache: (AcnetStatus | undefined)[] = new Array<AcnetStatus | undefined>(65536);

function checkInt(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer from ${min} to ${max}, not ${value}`);
  }
}

/**
 * An ACNET status word: facility (low byte) and signed error number (high byte), with its name
 * and text from the code table. Instances are interned: `fromWord(w) === fromWord(w)`, so
 * creating one per reading costs a lookup (and `fromWord(0)` returns `AcnetStatus.OK` directly).
 *
 * @example
 * ```ts
 * const s = AcnetStatus.fromWord(-1522);
 * s.facility;    // 14
 * s.errorNumber; // -6
 * s.name;        // 'DIO_NOATT'
 * s.isFailure;   // true
 * String(s);     // 'DIO_NOATT (14 -6): attribute does not exist for device'
 * ```
 */
export class AcnetStatus {
  /** The status word as a signed 16-bit number: `facility + 256 × errorNumber`. */
  readonly code: number;
  /** The facility, 0–255 (low byte). */
  readonly facility: number;
  /** The error number, −128…127 (signed high byte). */
  readonly errorNumber: number;
  /** The symbolic name (`DPM_PRIV`), or null when the table has no entry for this word. */
  readonly name: string | null;
  /** Human text; for an unknown code a description made of the facility and numbers. */
  readonly text: string;
  /** The facility's name (`DPM`), or null when the table does not name the facility. */
  readonly facilityName: string | null;
  /** error number 0. */
  readonly isSuccess: boolean;
  /** error number > 0: went through, data (if any) usable. */
  readonly isWarning: boolean;
  /** error number < 0: no usable data. */
  readonly isFailure: boolean;

  /** The success status (word 0, `ACNET_OK`). */
  static readonly OK: AcnetStatus = AcnetStatus.fromWord(0);

  private constructor(code: number, entry: StatusEntry | undefined) {
    this.code = code;
    this.facility = code & 0xff;
    this.errorNumber = code >> 8;
    this.facilityName = facilityEntry(this.facility)?.name ?? null;
    this.name = entry?.name ?? null;
    this.text = entry?.text ?? `unknown status of ${this.facilityName ?? `facility ${this.facility}`}`;
    this.isSuccess = this.errorNumber === 0;
    this.isWarning = this.errorNumber > 0;
    this.isFailure = this.errorNumber < 0;
    Object.freeze(this);
  }

  /**
   * The status of a word, signed (−32768…32767, as on the wire) or unsigned (0…65535).
   *
   * @example
   * ```ts
   * AcnetStatus.fromWord(-4335).name; // 'DPM_PRIV'
   * AcnetStatus.fromWord(0xef11).name; // 'DPM_PRIV'
   * ```
   */
  static fromWord(word: number): AcnetStatus {
    if (word === 0 && AcnetStatus.OK !== undefined) return AcnetStatus.OK;
    checkInt(word, -32768, 65535, 'a status word');
    const u = word & 0xffff;
    let s = cache[u];
    if (s === undefined) {
      const signed = (u << 16) >> 16;
      s = new AcnetStatus(signed, statusEntry(signed & 0xff, signed >> 8));
      cache[u] = s;
    }
    return s;
  }

  /**
   * The status of a facility (0–255) and error number (−128…127).
   *
   * @example
   * ```ts
   * AcnetStatus.fromParts(1, -6).name; // 'ACNET_REQTMO'
   * ```
   */
  static fromParts(facility: number, error: number): AcnetStatus {
    checkInt(facility, 0, 255, 'a facility');
    checkInt(error, -128, 127, 'an error number');
    return AcnetStatus.fromWord(facility + 256 * error);
  }

  /**
   * The status with that name (any case; `ACNET_SUCCESS` = `ACNET_OK`). Throws `RangeError` for a
   * name the table does not have (see `tryFromName`).
   *
   * @example
   * ```ts
   * AcnetStatus.fromName('DPM_PRIV').code; // -4335
   * ```
   */
  static fromName(name: string): AcnetStatus {
    const s = AcnetStatus.tryFromName(name);
    if (s === undefined) throw new RangeError(`unknown ACNET status name ${JSON.stringify(name)}`);
    return s;
  }

  /**
   * The status with that name, or undefined.
   *
   * @example
   * ```ts
   * AcnetStatus.tryFromName('NOPE'); // undefined
   * ```
   */
  static tryFromName(name: string): AcnetStatus | undefined {
    const e = statusEntryByName(name.toUpperCase());
    return e === undefined ? undefined : AcnetStatus.fromParts(e.facility, e.error);
  }

  /**
   * The word as an unsigned 16-bit number (0…65535).
   *
   * @example
   * ```ts
   * AcnetStatus.fromName('DPM_PRIV').uint16; // 0xef11
   * ```
   */
  get uint16(): number {
    return this.code & 0xffff;
  }

  /**
   * Whether `other` (a status or a word) is the same status word.
   *
   * @example
   * ```ts
   * AcnetStatus.fromWord(-4335).equals(AcnetStatus.fromName('DPM_PRIV')); // true
   * ```
   */
  equals(other: AcnetStatus | number): boolean {
    if (typeof other === 'number') {
      return Number.isInteger(other) && other >= -32768 && other <= 65535 && (other & 0xffff) === this.uint16;
    }
    return other.code === this.code;
  }

  /**
   * `NAME (facility error): text`, or for an unknown code `FACILITY (facility error)` /
   * `facility N (N error)`.
   *
   * @example
   * ```ts
   * AcnetStatus.fromParts(17, -99).toString(); // 'DPM (17 -99)'
   * ```
   */
  toString(): string {
    const nums = `(${this.facility} ${this.errorNumber})`;
    if (this.name !== null) return `${this.name} ${nums}: ${this.text}`;
    return `${this.facilityName ?? `facility ${this.facility}`} ${nums}`;
  }

  /**
   * A plain JSON form.
   *
   * @example
   * ```ts
   * JSON.stringify(AcnetStatus.OK); // '{"code":0,"facility":0,"errorNumber":0,"name":"ACNET_OK"}'
   * ```
   */
  toJSON(): {
    /** The signed 16-bit status word. */
    code: number;
    /** The facility number. */
    facility: number;
    /** The error number (negative: error, positive: warning). */
    errorNumber: number;
    /** The symbolic name, or null when the table has none. */
    name: string | null;
  } {
    return { code: this.code, facility: this.facility, errorNumber: this.errorNumber, name: this.name };
  }
}
