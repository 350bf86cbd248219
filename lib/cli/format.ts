/**
 * Text and JSON renderings of readings and statuses for the command-line tools.
 *
 * @module
 */
import { isOk, type AcnetStatus, type Reading } from '../index.js';

/**
 * A status as JSON: `{name, facility, error, text}` (`name` null for a code the table lacks).
 *
 * @example
 * ```ts
 * statusJson(AcnetStatus.OK); // { name: 'ACNET_OK', facility: 0, error: 0, text: 'success' }
 * ```
 */
export interface StatusJson {
  readonly name: string | null;
  readonly facility: number;
  readonly error: number;
  readonly text: string;
}

/**
 * The JSON form of a status.
 *
 * @example
 * ```ts
 * JSON.stringify(statusJson(r.status));
 * ```
 */
export function statusJson(s: AcnetStatus): StatusJson {
  return { name: s.name, facility: s.facility, error: s.errorNumber, text: s.text };
}

/**
 * Bytes as lower-case hex without separators.
 *
 * @example
 * ```ts
 * toHex(Uint8Array.of(1, 0xab)); // '01ab'
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** JSON-compatible values. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/**
 * A reading's value as JSON: numbers, arrays of numbers, `Uint8Array` as a hex string, text,
 * records for status/alarms, `{data, micros}` for timed arrays, `null` without a value.
 * Non-finite numbers become `null` (JSON cannot carry them).
 *
 * @example
 * ```ts
 * valueJson(reading); // [0.1, 0.2, ...]
 * ```
 */
export function valueJson(r: Reading): Json {
  const num = (n: number): number | null => (Number.isFinite(n) ? n : null);
  switch (r.valueType) {
    case undefined:
      return null;
    case 'scalar':
      return num(r.value);
    case 'scalarArray':
      return Array.from(r.value, num);
    case 'timedScalarArray':
      return { data: Array.from(r.value.data, num), micros: Array.from(r.value.micros, num) };
    case 'raw':
      return toHex(r.value);
    case 'text':
      return r.value;
    case 'textArray':
      return [...r.value];
    case 'basicStatus':
    case 'analogAlarm':
    case 'digitalAlarm':
      return { ...r.value };
  }
}

/**
 * One JSON object for a reading (the lines of `--json`):
 * `{drf, device, ok, valueType, value, units, timestamp, cycle, status}`.
 *
 * @example
 * ```ts
 * io.stdout.write(JSON.stringify(readingJson(r)) + '\n');
 * ```
 */
export function readingJson(r: Reading): { readonly [k: string]: Json } {
  return {
    drf: r.drf,
    device: r.meta?.name ?? null,
    ok: isOk(r),
    valueType: r.valueType ?? null,
    value: valueJson(r),
    units: r.meta?.units ?? null,
    timestamp: r.timestamp?.toISOString() ?? null,
    cycle: r.cycle,
    status: { ...statusJson(r.status) },
  };
}

function numText(n: number, o: TextOptions): string {
  if (!Number.isFinite(n)) return String(n);
  if (o.decimals !== undefined) return n.toFixed(o.decimals);
  return o.precision === undefined ? String(n) : String(Number(n.toPrecision(o.precision)));
}

/** The first `maxItems` elements only: `items` renders just those (`n` is the full length). */
function list(n: number, items: (count: number) => readonly string[], maxItems: number | undefined): string {
  if (maxItems === undefined || n <= maxItems) return `[${items(n).join(', ')}]`;
  return `[${items(maxItems).join(', ')}, … (${n} values)]`;
}

function record(v: object): string {
  return Object.entries(v)
    .map(([k, x]) => `${k}=${String(x)}`)
    .join(' ');
}

/**
 * How to render values as text: `precision` significant digits for numbers, or `decimals` digits
 * after the decimal point (`decimals` wins; default: as JavaScript prints them), `maxItems` array
 * elements before `… (N values)` (default: all).
 *
 * @example
 * ```ts
 * valueText(r, { precision: 6, maxItems: 8 });
 * valueText(r, { decimals: 2, maxItems: 16 }); // '[0.00, 0.10, …, 1.50, … (1024 values)]'
 * ```
 */
export interface TextOptions {
  readonly precision?: number | undefined;
  readonly decimals?: number | undefined;
  readonly maxItems?: number | undefined;
}

/**
 * A reading's value as text: numbers as JS prints them, arrays in brackets, raw bytes as hex,
 * text as is, records as `key=value` pairs; without a value, the status name.
 *
 * @example
 * ```ts
 * valueText(r); // '51.65' | '[1, 2, 3]' | '0102030405060708' | 'Hello'
 * ```
 */
export function valueText(r: Reading, o: TextOptions = {}): string {
  switch (r.valueType) {
    case undefined:
      return r.status.name ?? r.status.toString();
    case 'scalar':
      return numText(r.value, o);
    case 'scalarArray': {
      const v = r.value;
      return list(v.length, (c) => Array.from(v.subarray(0, c), (n) => numText(n, o)), o.maxItems);
    }
    case 'timedScalarArray': {
      const v = r.value.data;
      return list(v.length, (c) => Array.from(v.subarray(0, c), (n) => numText(n, o)), o.maxItems);
    }
    case 'raw':
      return toHex(r.value);
    case 'text':
      return r.value;
    case 'textArray':
      return list(r.value.length, (c) => r.value.slice(0, c).map((s) => JSON.stringify(s)), o.maxItems);
    case 'basicStatus':
    case 'analogAlarm':
    case 'digitalAlarm':
      return record(r.value);
  }
}

/**
 * A reading's time as ISO 8601 (UTC), or `-` when DPM sent none.
 *
 * @example
 * ```ts
 * timeText(r); // '2026-11-25T20:39:37.317Z'
 * ```
 */
export function timeText(r: Reading): string {
  return r.timestamp?.toISOString() ?? '-';
}

/**
 * One text line for a successful reading: `device  value [units]  timestamp` (two spaces between
 * fields). The device is the DRF as given.
 *
 * @example
 * ```ts
 * readingLine(r); // 'M:OUTTMP  51.65 DegF  2026-11-25T20:39:37.317Z'
 * ```
 */
export function readingLine(r: Reading, o: TextOptions = {}): string {
  const units = r.meta?.units;
  return `${r.drf}  ${valueText(r, o)}${units ? ` ${units}` : ''}  ${timeText(r)}`;
}

/**
 * The text lines of a successful reading: {@link readingLine} for one value; for logged data
 * (a timed array) one line per point with that point's own time,
 * `drf  value [units]  time`, the first `maxPoints` points only (then `drf  … (N points)`).
 * A window without points gives no line.
 *
 * @example
 * ```ts
 * readingLines(r); // ['Z:LOGDEV<-LOGGERDURATION:1000  100.2 Hz  2026-11-25T20:39:37.100Z', …]
 * ```
 */
export function readingLines(r: Reading, o: TextOptions = {}, maxPoints?: number): string[] {
  if (r.valueType !== 'timedScalarArray') return [readingLine(r, o)];
  const { data, micros } = r.value;
  const units = r.meta?.units ? ` ${r.meta.units}` : '';
  const n = maxPoints === undefined ? data.length : Math.min(maxPoints, data.length);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = micros[i];
    const time = t === undefined || !Number.isFinite(t) ? '-' : new Date(t / 1000).toISOString();
    lines.push(`${r.drf}  ${numText(data[i]!, o)}${units}  ${time}`);
  }
  if (n < data.length) lines.push(`${r.drf}  … (${data.length} points)`);
  return lines;
}

/**
 * The message for a failed reading: `<drf>: <status>` (as `DeviceError`'s message).
 *
 * @example
 * ```ts
 * failureText(r); // 'Z:NOPE: DBM_NOPROP (16 -13): property not found'
 * ```
 */
export function failureText(r: Reading): string {
  const what = r.valueType === undefined && !r.status.isFailure ? ' (no value)' : '';
  return `${r.drf}: ${r.status.toString()}${what}`;
}
