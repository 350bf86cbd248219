/**
 * The ACNET status code table (`acnet-status.json`, a copy of `shared/data/acnet-status.json`),
 * loaded as data.
 *
 * @module
 */
import table from './acnet-status.json' with { type: 'json' };

/**
 * One named facility of the table.
 *
 * @example
 * ```ts
 * const f: FacilityEntry | undefined = facilityEntry(17); // { code: 17, name: 'DPM', text: 'data pool manager' }
 * ```
 */
export interface FacilityEntry {
  /** The facility number. */
  readonly code: number;
  /** The facility name (`DPM`, `DBM`, …). */
  readonly name: string;
  /** A short description; null for facilities only the DPM server's table names. */
  readonly text: string | null;
}

/**
 * One named status code of the table.
 *
 * @example
 * ```ts
 * const e: StatusEntry | undefined = statusEntry(17, -17); // { facility: 17, error: -17, name: 'DPM_PRIV', ... }
 * ```
 */
export interface StatusEntry {
  /** The facility number. */
  readonly facility: number;
  /** The error number (negative: error, positive: warning). */
  readonly error: number;
  /** The symbolic name (`DPM_PRIV`). */
  readonly name: string;
  /** A human-readable description. */
  readonly text: string;
  /** An extra remark, if any. */
  readonly note: string | null;
}

interface RawFacility {
  code: number;
  name: string;
  text?: string;
}
interface RawError {
  facility: number;
  error: number;
  name: string;
  text: string;
  note?: string;
}

const rawFacilities: readonly RawFacility[] = table.facilities;
const rawErrors: readonly RawError[] = table.errors;

const FACILITIES: readonly FacilityEntry[] = Object.freeze(
  rawFacilities.map((f) => Object.freeze({ code: f.code, name: f.name, text: f.text ?? null })),
);
const ERRORS: readonly StatusEntry[] = Object.freeze(
  rawErrors.map((e) =>
    Object.freeze({ facility: e.facility, error: e.error, name: e.name, text: e.text, note: e.note ?? null }),
  ),
);

const facilityByCode = new Map<number, FacilityEntry>(FACILITIES.map((f) => [f.code, f]));
const entryByWord = new Map<number, StatusEntry>(ERRORS.map((e) => [e.facility + 256 * e.error, e]));
const entryByName = new Map<string, StatusEntry>(ERRORS.map((e) => [e.name, e]));
{
  const ok = entryByName.get('ACNET_OK');
  if (ok !== undefined) entryByName.set('ACNET_SUCCESS', ok);
}

/**
 * Every facility of the table.
 *
 * @example
 * ```ts
 * facilities().map((f) => f.name); // ['ACNET', 'FSHARE', ...]
 * ```
 */
export function facilities(): readonly FacilityEntry[] {
  return FACILITIES;
}

/**
 * Every named status code of the table (215 entries).
 *
 * @example
 * ```ts
 * statusEntries().find((e) => e.name === 'DIO_NOATT'); // { facility: 14, error: -6, ... }
 * ```
 */
export function statusEntries(): readonly StatusEntry[] {
  return ERRORS;
}

/**
 * The facility with that number, if the table names it.
 *
 * @example
 * ```ts
 * facilityEntry(14)?.name; // 'DIO'
 * ```
 */
export function facilityEntry(code: number): FacilityEntry | undefined {
  return facilityByCode.get(code);
}

/**
 * The named code for (facility, error), if any.
 *
 * @example
 * ```ts
 * statusEntry(1, -6)?.name; // 'ACNET_REQTMO'
 * ```
 */
export function statusEntry(facility: number, error: number): StatusEntry | undefined {
  return entryByWord.get(facility + 256 * error);
}

/**
 * The named code with that name (exact, upper-case; `ACNET_SUCCESS` is an alias of `ACNET_OK`).
 *
 * @example
 * ```ts
 * statusEntryByName('DPM_PRIV')?.error; // -17
 * ```
 */
export function statusEntryByName(name: string): StatusEntry | undefined {
  return entryByName.get(name);
}
