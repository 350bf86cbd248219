/**
 * The simulator's device catalogue format, as io-ts codecs. A catalogue is a JSON object
 * `{ "devices": [DeviceSpec, ...] }`; see {@link DeviceSpec} for each entry.
 *
 * @example
 * ```ts
 * const r = CatalogueCodec.decode({ devices: [{ name: 'Z:MYDEV', index: 1, description: 'x',
 *   reading: { kind: 'scalar', value: 1 } }] });
 * ```
 *
 * @module
 */
import * as t from 'io-ts';

const Int = t.refinement(t.number, (n) => Number.isInteger(n), 'integer');
const Int16 = t.refinement(t.number, (n) => Number.isInteger(n) && n >= -32768 && n <= 32767, 'int16');
const Int32 = t.refinement(t.number, (n) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647, 'int32');
const NonNegInt32 = t.refinement(Int32, (n) => n >= 0, 'non-negative int32');
const Positive = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'positive number');
const Finite = t.refinement(t.number, (n) => Number.isFinite(n), 'finite number');
const ArrayLength = t.refinement(Int, (n) => n >= 0 && n <= 1_000_000, 'array length 0..1000000');
const Hex = t.refinement(t.string, (s) => /^(?:[0-9a-fA-F]{2})*$/.test(s), 'hex string (pairs of hex digits)');

/**
 * A sine wave added to a scalar's base value: `amplitude × sin(2π t / periodS)`.
 *
 * @example
 * ```ts
 * SineCodec.is({ amplitude: 3, periodS: 60 }); // true
 * ```
 */
export const SineCodec = t.type({ amplitude: Finite, periodS: Positive }, 'Sine');

/**
 * A scalar value: `value`, optionally varying with a sine wave and uniform noise (± `noise`).
 *
 * @example
 * ```ts
 * ScalarValueCodec.is({ kind: 'scalar', value: 1, noise: 0.1 }); // true
 * ```
 */
export const ScalarValueCodec = t.intersection(
  [
    t.type({ kind: t.literal('scalar'), value: Finite }),
    t.partial({ sine: SineCodec, noise: t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'noise ≥ 0') }),
  ],
  'ScalarValue',
);

/**
 * An array of doubles: either explicit `values`, or `length` elements made by `generator`
 * (`sine`: one sine period over the array, animated in time; `ramp`: 0, 1, 2, …; `zero`).
 */
export const ArrayValueCodec = t.intersection(
  [
    t.type({ kind: t.literal('array') }),
    t.partial({
      values: t.array(Finite),
      length: ArrayLength,
      generator: t.keyof({ sine: null, ramp: null, zero: null }),
      amplitude: Finite,
    }),
  ],
  'ArrayValue',
);

/**
 * A text value.
 *
 * @example
 * ```ts
 * TextValueCodec.is({ kind: 'text', value: 'hi' }); // true
 * ```
 */
export const TextValueCodec = t.type({ kind: t.literal('text'), value: t.string }, 'TextValue');

/**
 * An array of strings.
 *
 * @example
 * ```ts
 * TextArrayValueCodec.is({ kind: 'textArray', values: ['a', 'b'] }); // true
 * ```
 */
export const TextArrayValueCodec = t.type({ kind: t.literal('textArray'), values: t.array(t.string) }, 'TextArrayValue');

/**
 * Raw bytes (hex), answered as `Raw_reply` whatever the field.
 *
 * @example
 * ```ts
 * RawValueCodec.is({ kind: 'raw', hex: '0102' }); // true
 * ```
 */
export const RawValueCodec = t.type({ kind: t.literal('raw'), hex: Hex }, 'RawValue');

const valueKinds = {
  scalar: ScalarValueCodec,
  array: ArrayValueCodec,
  text: TextValueCodec,
  textArray: TextArrayValueCodec,
  raw: RawValueCodec,
} as const;

type ValueUnion =
  | t.TypeOf<typeof ScalarValueCodec>
  | t.TypeOf<typeof ArrayValueCodec>
  | t.TypeOf<typeof TextValueCodec>
  | t.TypeOf<typeof TextArrayValueCodec>
  | t.TypeOf<typeof RawValueCodec>;

/**
 * The value of a READING or SETTING property, discriminated by `kind`
 * (`scalar`, `array`, `text`, `textArray`, `raw`). Dispatches on `kind` first so that
 * errors name only the problems of the intended kind.
 *
 * @example
 * ```ts
 * ValueSpecCodec.decode({ kind: 'text', value: 'x' }); // Right
 * ```
 */
export const ValueSpecCodec = new t.Type<ValueUnion, ValueUnion, unknown>(
  'ValueSpec',
  (u): u is ValueUnion => typeof u === 'object' && u !== null && Object.values(valueKinds).some((c) => c.is(u)),
  (u, ctx) => {
    const kind = typeof u === 'object' && u !== null ? (u as { kind?: unknown }).kind : undefined;
    if (typeof kind !== 'string' || !(kind in valueKinds)) {
      return t.failure(u, ctx, `expected an object with kind one of ${Object.keys(valueKinds).join(', ')}`);
    }
    const codec: t.Type<ValueUnion, ValueUnion, unknown> = valueKinds[kind as keyof typeof valueKinds] as t.Type<ValueUnion, ValueUnion, unknown>;
    return codec.validate(u, t.appendContext(ctx, '', codec, u));
  },
  (a) => a,
);

/**
 * Basic status bits the device defines (absent bits are not reported).
 *
 * @example
 * ```ts
 * BasicStatusCodec.is({ on: true, ready: false }); // true
 * ```
 */
export const BasicStatusCodec = t.partial(
  { on: t.boolean, ready: t.boolean, remote: t.boolean, positive: t.boolean, ramp: t.boolean },
  'BasicStatus',
);

const AlarmCommon = {
  alarmEnable: t.boolean,
  alarmStatus: t.boolean,
  abort: t.boolean,
  abortInhibit: t.boolean,
  triesNeeded: Int32,
  triesNow: Int32,
};

/**
 * An analog alarm block.
 *
 * @example
 * ```ts
 * AnalogAlarmCodec.decode(defaultCatalogue().devices[0]!.analogAlarm);
 * ```
 */
export const AnalogAlarmCodec = t.type({ minimum: Finite, maximum: Finite, ...AlarmCommon }, 'AnalogAlarm');

/**
 * A digital alarm block.
 *
 * @example
 * ```ts
 * DigitalAlarmCodec.is({ nominal: 1, mask: 3, alarmEnable: true, alarmStatus: false, abort: false, abortInhibit: false, triesNeeded: 1, triesNow: 0 }); // true
 * ```
 */
export const DigitalAlarmCodec = t.type({ nominal: Int32, mask: Int32, ...AlarmCommon }, 'DigitalAlarm');

/**
 * Linear scaling between raw counts and engineering units: `scaled = raw × scale + offset`.
 *
 * @example
 * ```ts
 * ScalingCodec.is({ scale: 0.01, offset: 0 }); // true
 * ```
 */
export const ScalingCodec = t.type({ scale: t.refinement(Finite, (n) => n !== 0, 'non-zero'), offset: Finite }, 'Scaling');

/**
 * Logging: the device is logged every `periodMs` (answers `<-LOGGER…` requests).
 *
 * @example
 * ```ts
 * LoggerCodec.is({ periodMs: 1000 }); // true
 * ```
 */
export const LoggerCodec = t.type({ periodMs: Positive }, 'Logger');

/**
 * One device of the catalogue.
 *
 * @example
 * ```ts
 * DeviceSpecCodec.decode({ name: 'Z:X', index: 1, description: 'x' }); // Right
 * ```
 */
export const DeviceSpecCodec = t.intersection(
  [
    t.type({
      /** Device name, `X:NAME` (area letter, `:`, body). */
      name: t.string,
      /** Device index (addressable as `0:<index>`). */
      index: NonNegInt32,
      /** DESCRIPTION property. */
      description: t.string,
    }),
    t.partial({
      /** Engineering units of the scaled READING/SETTING. */
      units: t.string,
      /** Display format code reported in `DeviceInfo_reply`. */
      formatHint: Int16,
      /** LONG_NAME property. */
      longName: t.string,
      /** ALARM_LIST_NAME property. */
      alarmListName: t.string,
      /** READING property value (absent: `DBM_NOPROP`). */
      reading: ValueSpecCodec,
      /** SETTING property value (absent: `DBM_NOPROP`). */
      setting: ValueSpecCodec,
      /** STATUS (basic status) bits. */
      status: BasicStatusCodec,
      /** ANALOG alarm block. */
      analogAlarm: AnalogAlarmCodec,
      /** DIGITAL alarm block. */
      digitalAlarm: DigitalAlarmCodec,
      /** Raw ↔ engineering units scaling: `scaled = raw × scale + offset`. */
      scaling: ScalingCodec,
      /** Logging, for `<-LOGGER…` requests. */
      logger: LoggerCodec,
      /** The device's default event, used by requests without one (`@U`); default `I`. */
      defaultEvent: t.string,
      /** Stream repetitive requests through the fast scalar path. */
      fastStream: t.boolean,
      /** ACNET status word: the device is in a fault state and answers every data request with it. */
      errorStatus: Int16,
    }),
  ],
  'DeviceSpec',
);

/**
 * A whole catalogue: `{ devices: [...] }`.
 *
 * @example
 * ```ts
 * CatalogueCodec.decode(JSON.parse(text)); // then loadCatalogue for the semantic checks
 * ```
 */
export const CatalogueCodec = t.type(
  {
    /** The devices. */
    devices: t.array(DeviceSpecCodec),
  },
  'Catalogue',
);

/**
 * A READING/SETTING value description.
 *
 * @example
 * ```ts
 * const v: ValueSpec = { kind: 'scalar', value: 55, sine: { amplitude: 3, periodS: 3600 } };
 * ```
 */
export type ValueSpec = t.TypeOf<typeof ValueSpecCodec>;

/**
 * One catalogue entry. `name` is `X:NAME` (area letter, `:`, body; 3–64 characters);
 * `index` is the device index (addressable as `0:<index>`); properties the entry leaves
 * out answer `DBM_NOPROP`. `errorStatus` (an ACNET status word) puts the device in a
 * simulated fault state: its data requests answer `Status_reply` with that status.
 *
 * @example
 * ```ts
 * const d: DeviceSpec = { name: 'Z:ACLTST', index: 140013, description: 'test device',
 *   units: 'mm', reading: { kind: 'scalar', value: 0 }, setting: { kind: 'scalar', value: 0 } };
 * ```
 */
export type DeviceSpec = t.TypeOf<typeof DeviceSpecCodec>;

/**
 * A catalogue object (what a catalogue JSON file holds).
 *
 * @example
 * ```ts
 * const c: Catalogue = { devices: [] };
 * ```
 */
export type Catalogue = t.TypeOf<typeof CatalogueCodec>;

/**
 * Analog alarm block fields.
 *
 * @example
 * ```ts
 * const a: AnalogAlarmSpec = { minimum: 0, maximum: 100, alarmEnable: true, alarmStatus: false,
 *   abort: false, abortInhibit: false, triesNeeded: 1, triesNow: 0 };
 * ```
 */
export type AnalogAlarmSpec = t.TypeOf<typeof AnalogAlarmCodec>;

/**
 * Digital alarm block fields.
 *
 * @example
 * ```ts
 * const d: DigitalAlarmSpec = { nominal: 1, mask: 3, alarmEnable: true, alarmStatus: false,
 *   abort: false, abortInhibit: false, triesNeeded: 1, triesNow: 0 };
 * ```
 */
export type DigitalAlarmSpec = t.TypeOf<typeof DigitalAlarmCodec>;

/**
 * Basic status bits.
 *
 * @example
 * ```ts
 * const s: BasicStatusSpec = { on: true, ready: true };
 * ```
 */
export type BasicStatusSpec = t.TypeOf<typeof BasicStatusCodec>;
