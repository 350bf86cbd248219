/**
 * Alarm-block settings (`dpm-behaviour.md` §9.4 step 4): an object written to an `.ANALOG` or
 * `.DIGITAL` DRF is expanded into one setting per field, in a fixed order, sent sequentially.
 *
 * @module
 */
import { parseDrf } from '../../drf/parse.js';
import { toCanonical } from '../../drf/canonical.js';
import { stripEvent, withField } from '../../drf/helpers.js';

/**
 * The writable fields of an analog alarm block. Snake case (pacsys) and camel case (this
 * library's `AnalogAlarm` readings) are both accepted; read-only fields of a reading
 * (`alarmStatus`, `abort`, `triesNow`) are ignored, so a block read back can be written again.
 *
 * @example
 * ```ts
 * client.write('Z:ACLTST.ANALOG', { minimum: 0, maximum: 100, alarm_enable: true });
 * ```
 */
export interface AnalogAlarmSetting {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly alarm_enable?: boolean;
  readonly alarmEnable?: boolean;
  readonly abort_inhibit?: boolean;
  readonly abortInhibit?: boolean;
  readonly tries_needed?: number;
  readonly triesNeeded?: number;
}

/**
 * The writable fields of a digital alarm block (see {@link AnalogAlarmSetting} for the key styles).
 *
 * @example
 * ```ts
 * client.write('Z:ACLTST.DIGITAL', { nominal: 1, mask: 0xff });
 * ```
 */
export interface DigitalAlarmSetting {
  readonly nominal?: number;
  readonly mask?: number;
  readonly alarm_enable?: boolean;
  readonly alarmEnable?: boolean;
  readonly abort_inhibit?: boolean;
  readonly abortInhibit?: boolean;
  readonly tries_needed?: number;
  readonly triesNeeded?: number;
}

/**
 * Either alarm block.
 *
 * @example
 * ```ts
 * const b: AlarmBlockSetting = { nominal: 1 };
 * ```
 */
export type AlarmBlockSetting = AnalogAlarmSetting | DigitalAlarmSetting;

/**
 * One field write of an expanded alarm block.
 *
 * @example
 * ```ts
 * const f: AlarmFieldWrite = { drf: 'Z:ACLTST.ANALOG.MIN', value: 0 };
 * ```
 */
export interface AlarmFieldWrite {
  readonly drf: string;
  readonly value: number;
}

type FieldSpec = readonly (readonly [field: string, keys: readonly string[]])[];

/** Write order of the analog fields (pacsys): MIN, MAX, ALARM_ENABLE, ABORT_INHIBIT, TRIES_NEEDED. */
const ANALOG: FieldSpec = [
  ['MIN', ['minimum']],
  ['MAX', ['maximum']],
  ['ALARM_ENABLE', ['alarm_enable', 'alarmEnable']],
  ['ABORT_INHIBIT', ['abort_inhibit', 'abortInhibit']],
  ['TRIES_NEEDED', ['tries_needed', 'triesNeeded']],
];

/** Write order of the digital fields: NOM, MASK, ALARM_ENABLE, ABORT_INHIBIT, TRIES_NEEDED. */
const DIGITAL: FieldSpec = [
  ['NOM', ['nominal']],
  ['MASK', ['mask']],
  ['ALARM_ENABLE', ['alarm_enable', 'alarmEnable']],
  ['ABORT_INHIBIT', ['abort_inhibit', 'abortInhibit']],
  ['TRIES_NEEDED', ['tries_needed', 'triesNeeded']],
];

/** Fields of a reading that cannot be set; ignored. */
const READ_ONLY = new Set(['alarm_status', 'alarmStatus', 'abort', 'tries_now', 'triesNow']);

/**
 * Whether `v` is a plain object (a candidate alarm block).
 *
 * @example
 * ```ts
 * isAlarmBlock({ minimum: 1 }); // true
 * isAlarmBlock([1]);            // false
 * ```
 */
export function isAlarmBlock(v: unknown): v is AlarmBlockSetting {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/**
 * Expands an alarm block written to `drf` (an `.ANALOG` or `.DIGITAL` DRF without a field, or
 * with `.ALL`) into field writes in the fixed order; booleans become 1 / 0. Throws `TypeError`
 * for another property, an unknown key, a wrong type, or an empty block.
 *
 * @example
 * ```ts
 * expandAlarmBlock('Z:ACLTST.ANALOG', { maximum: 10, minimum: 0, alarm_enable: true });
 * // [{ drf: 'Z:ACLTST.ANALOG.MIN', value: 0 }, { drf: 'Z:ACLTST.ANALOG.MAX', value: 10 },
 * //  { drf: 'Z:ACLTST.ANALOG.ALARM_ENABLE', value: 1 }]
 * ```
 */
export function expandAlarmBlock(drf: string, block: AlarmBlockSetting): AlarmFieldWrite[] {
  const req = parseDrf(drf);
  const spec = req.property === 'ANALOG' ? ANALOG : req.property === 'DIGITAL' ? DIGITAL : undefined;
  if (spec === undefined) {
    throw new TypeError(`${drf}: an object value is an alarm block and needs an .ANALOG or .DIGITAL DRF`);
  }
  if (req.field !== null && req.field !== 'ALL') {
    throw new TypeError(`${drf}: an alarm block is written to the whole block, not to the field ${req.field}`);
  }
  const record = block as Readonly<Record<string, unknown>>;
  const known = new Set(spec.flatMap(([, keys]) => keys));
  for (const k of Object.keys(record)) {
    if (!known.has(k) && !READ_ONLY.has(k)) {
      throw new TypeError(`${drf}: unknown alarm field ${JSON.stringify(k)} (expected ${[...known].join(', ')})`);
    }
  }
  const base = stripEvent(req);
  const out: AlarmFieldWrite[] = [];
  for (const [field, keys] of spec) {
    const key = keys.find((k) => record[k] !== undefined);
    if (key === undefined) continue;
    const v = record[key];
    let value: number;
    if (typeof v === 'boolean') value = v ? 1 : 0;
    else if (typeof v === 'number' && Number.isFinite(v)) value = v;
    else throw new TypeError(`${drf}: alarm field ${key} must be a finite number or a boolean, got ${JSON.stringify(v)}`);
    out.push({ drf: toCanonical(withField(base, field)), value });
  }
  if (out.length === 0) throw new TypeError(`${drf}: the alarm block sets no field`);
  return out;
}
