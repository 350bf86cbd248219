import type { AcnetStatus } from '../status/index.js';

/**
 * Device metadata from `DeviceInfo_reply` (`dpm-behaviour.md` §6.4). One object
 * per request per connection, shared by every reading of that request.
 *
 * @example
 * ```ts
 * const r = await firstValueFrom(client.get('M:OUTTMP'));
 * console.log(r.meta?.name, r.meta?.units); // "M:OUTTMP" "DegF"
 * ```
 */
export interface DeviceMeta {
  /** Device index. */
  readonly di: number;
  /** Canonical device name. */
  readonly name: string;
  /** Device description. */
  readonly description: string;
  /** Engineering units, when the device has scaling. */
  readonly units: string | undefined;
  /** Display format code; DPM does not set it today. */
  readonly formatHint: number | undefined;
}

/**
 * Values with their own timestamps (logger data, `TimedScalarArray_reply`):
 * `micros[i]` is the time of `data[i]` in microseconds since the Unix epoch.
 *
 * @example
 * ```ts
 * const v = (await firstValueFrom(client.read('M:OUTTMP<-LOGGER:1700000000000:1700003600000'))) as TimedArray;
 * const firstTime = new Date(v.micros[0]! / 1000);
 * ```
 */
export interface TimedArray {
  /** The values. */
  readonly data: Float64Array;
  /** `micros[i]`: the time of `data[i]`, microseconds since 1970. */
  readonly micros: Float64Array;
}

/**
 * `BasicStatus_reply` bits; a bit the device does not define is absent.
 *
 * @example
 * ```ts
 * if (r.valueType === 'basicStatus' && r.value.on === false) console.log('off');
 * ```
 */
export interface BasicStatus {
  /** Device on. */
  readonly on?: boolean;
  /** Device ready. */
  readonly ready?: boolean;
  /** Device in remote control. */
  readonly remote?: boolean;
  /** Device polarity positive. */
  readonly positive?: boolean;
  /** Device in ramp (DC otherwise). */
  readonly ramp?: boolean;
}

/**
 * The alarm fields shared by analog and digital alarm blocks.
 *
 * @example
 * ```ts
 * if (r.valueType === 'analogAlarm' && r.value.alarmStatus) console.log('in alarm');
 * ```
 */
export interface AlarmCommon {
  /** Alarm checking enabled. */
  readonly alarmEnable: boolean;
  /** The device is in alarm. */
  readonly alarmStatus: boolean;
  /** The alarm generates an abort. */
  readonly abort: boolean;
  /** Aborts of this alarm are inhibited. */
  readonly abortInhibit: boolean;
  /** Consecutive out-of-tolerance readings needed to raise the alarm. */
  readonly triesNeeded: number;
  /** Consecutive out-of-tolerance readings so far. */
  readonly triesNow: number;
}

/**
 * An analog alarm block (`AnalogAlarm_reply`).
 *
 * @example
 * ```ts
 * if (r.valueType === 'analogAlarm') console.log(r.value.minimum, r.value.maximum);
 * ```
 */
export interface AnalogAlarm extends AlarmCommon {
  /** Alarm minimum (engineering units). */
  readonly minimum: number;
  /** Alarm maximum (engineering units). */
  readonly maximum: number;
}

/**
 * A digital alarm block (`DigitalAlarm_reply`).
 *
 * @example
 * ```ts
 * if (r.valueType === 'digitalAlarm') console.log(r.value.nominal, r.value.mask);
 * ```
 */
export interface DigitalAlarm extends AlarmCommon {
  /** Nominal value of the status bits. */
  readonly nominal: number;
  /** Which bits are checked against `nominal`. */
  readonly mask: number;
}

/**
 * The value carried for each value type.
 *
 * @example
 * ```ts
 * const v: ValueTypes['scalarArray'] = new Float64Array(3);
 * ```
 */
export interface ValueTypes {
  /** `Scalar_reply`: one number. */
  scalar: number;
  /** `ScalarArray_reply`. */
  scalarArray: Float64Array;
  /** `TimedScalarArray_reply` (logger data): values with their own times. */
  timedScalarArray: TimedArray;
  /** `Raw_reply`: raw device bytes. */
  raw: Uint8Array;
  /** `Text_reply`. */
  text: string;
  /** `TextArray_reply`. */
  textArray: readonly string[];
  /** `BasicStatus_reply`. */
  basicStatus: BasicStatus;
  /** `AnalogAlarm_reply`. */
  analogAlarm: AnalogAlarm;
  /** `DigitalAlarm_reply`. */
  digitalAlarm: DigitalAlarm;
}

/**
 * The kind of value a reading carries.
 *
 * @example
 * ```ts
 * const t: ValueType = 'scalar';
 * ```
 */
export type ValueType = keyof ValueTypes;

/**
 * Any value a reading can carry.
 *
 * @example
 * ```ts
 * const v: ReadingValue = await firstValueFrom(client.read('M:OUTTMP'));
 * if (typeof v === 'number') console.log(v.toFixed(1));
 * ```
 */
export type ReadingValue = ValueTypes[keyof ValueTypes];

/**
 * What every reading has.
 *
 * @example
 * ```ts
 * const when = reading.timestamp?.toISOString();
 * ```
 */
export interface ReadingCommon {
  /** The DRF as the user gave it. */
  readonly drf: string;
  /** The data's time (`undefined` when DPM sent 0, "no timestamp"). */
  readonly timestamp: Date | undefined;
  /** Accelerator cycle (live data) or chunk number (logger data). */
  readonly cycle: number;
  /** ACNET status; success for normal data. */
  readonly status: AcnetStatus;
  /** Device metadata, when DPM sent it. */
  readonly meta: DeviceMeta | undefined;
}

/**
 * A reading that carries a value; `valueType` narrows `value`.
 *
 * @example
 * ```ts
 * function show(r: ValueReading) {
 *   if (r.valueType === 'scalar') return r.value.toFixed(2);
 *   if (r.valueType === 'scalarArray') return `${r.value.length} points`;
 *   return String(r.valueType);
 * }
 * ```
 */
export type ValueReading<K extends ValueType = ValueType> = K extends ValueType
  ? ReadingCommon & {
      /** What `value` is (the discriminant). */
      readonly valueType: K;
      /** The value. */
      readonly value: ValueTypes[K];
    }
  : never;

/**
 * A reading without a value: the device failed (or warned, e.g. `DPM_PEND`);
 * `status` says why.
 *
 * @example
 * ```ts
 * if (r.valueType === undefined) console.error(r.drf, r.status.toString());
 * ```
 */
export interface ErrorReading extends ReadingCommon {
  /** `undefined`: no value (see `status`). */
  readonly valueType: undefined;
  /** `undefined`: no value. */
  readonly value: undefined;
}

/**
 * One reading of one device: a value and its type, or a status without value.
 *
 * @example
 * ```ts
 * client.stream('M:OUTTMP@p,1000').subscribe((r: Reading) => {
 *   if (r.valueType === 'scalar') console.log(r.value, r.meta?.units);
 * });
 * ```
 */
export type Reading = ValueReading | ErrorReading;

/**
 * True when the reading has a value and its status is not a failure
 * (error byte ≥ 0), as pacsys's `ok`.
 *
 * @example
 * ```ts
 * readings.filter(isOk).map((r) => r.value);
 * ```
 */
export function isOk(r: Reading): r is ValueReading {
  return r.valueType !== undefined && !r.status.isFailure;
}
