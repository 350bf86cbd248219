/**
 * Applies one setting of an `ApplySettings_request` to the simulated device state, so that
 * later reads see the new value.
 *
 * @example
 * ```ts
 * applySetting(store, store.find('Z:ACLTST')!, parseDrf('Z:ACLTST.SETTING@N'), { kind: 'scaled', data: [3.5] }); // 0
 * ```
 *
 * @module
 */
import type { DrfRequest } from '../drf/types.js';
import type { DeviceStore, SimDevice, ValueProperty } from './device-store.js';
import { fromRawCounts, type SimValue } from './sim-value.js';
import { SimStatus } from './status-words.js';
import { RAW_ELEMENT_BYTES } from './sim-value.js';

/**
 * A setting's value as it arrives: raw bytes, scaled doubles or text.
 *
 * @example
 * ```ts
 * const v: SettingValue = { kind: 'text', data: ['hello'] };
 * ```
 */
export type SettingValue =
  | { readonly kind: 'raw'; readonly data: Uint8Array }
  | { readonly kind: 'scaled'; readonly data: readonly number[] }
  | { readonly kind: 'text'; readonly data: readonly string[] };

/**
 * Applies `value` to the property named by `request` (READING and SETTING both write the
 * SETTING value, which a loop-back device mirrors into its READING; CONTROL takes one scaled
 * command, RESET = 0 (sets READY), ON = 1, OFF = 2 (set ON), and answers `DIO_INVDATA` for any
 * other value, text or raw bytes;
 * ANALOG/DIGITAL fields update the alarm block; DESCRIPTION updates the text). Returns the
 * status word: 0, `DBM_NOPROP` (no such property), `DIO_INVDATA` (a value of the wrong
 * shape), `DPM_OUT_OF_BOUNDS` (range past the end).
 *
 * @example
 * ```ts
 * applySetting(store, dev, parseDrf('Z:TEXTDEV.SETTING@N'), { kind: 'text', data: ['hi'] });
 * ```
 */
export function applySetting(store: DeviceStore, device: SimDevice, request: DrfRequest, value: SettingValue): number {
  const spec = device.spec as Record<string, unknown> & typeof device.spec;
  switch (request.property) {
    case 'READING':
    case 'SETTING': {
      const prop: ValueProperty = store.has(device, 'setting') ? 'setting' : 'reading';
      if (request.property === 'SETTING' && !store.has(device, 'setting')) return SimStatus.DBM_NOPROP;
      const current = store.valueAt(device, prop, Date.now());
      if (current === undefined) return SimStatus.DBM_NOPROP;
      const next = convert(current, value, request, device);
      if (typeof next === 'number') return next;
      store.write(device, prop, next);
      return SimStatus.OK;
    }
    case 'CONTROL': {
      if (spec.status === undefined && spec.setting === undefined) return SimStatus.DBM_NOPROP;
      // only the documented commands (dpm-behaviour.md §9.4: RESET = 0, ON = 1, OFF = 2), one
      // scaled value; text, raw bytes, several values or another number are invalid data
      if (value.kind !== 'scaled' || value.data.length !== 1) return SimStatus.DIO_INVDATA;
      const cmd = value.data[0];
      if (cmd !== 0 && cmd !== 1 && cmd !== 2) return SimStatus.DIO_INVDATA;
      if (spec.status !== undefined) {
        const st = { ...spec.status };
        if (cmd === 1) st.on = true;
        else if (cmd === 2) st.on = false;
        else st.ready = true;
        spec.status = st;
      }
      return SimStatus.OK;
    }
    case 'ANALOG':
    case 'DIGITAL': {
      const block = request.property === 'ANALOG' ? spec.analogAlarm : spec.digitalAlarm;
      if (block === undefined) return SimStatus.DBM_NOPROP;
      if (value.kind !== 'scaled' || value.data.length === 0) return SimStatus.DIO_INVDATA;
      const v = value.data[0]!;
      const key = ALARM_FIELDS[request.field ?? 'ALL'];
      if (key === undefined || !(key in block)) return SimStatus.DBM_NOPROP;
      const copy = { ...block } as Record<string, number | boolean>;
      copy[key] = typeof copy[key] === 'boolean' ? v !== 0 : v;
      if (request.property === 'ANALOG') spec.analogAlarm = copy as typeof spec.analogAlarm;
      else spec.digitalAlarm = copy as typeof spec.digitalAlarm;
      return SimStatus.OK;
    }
    case 'DESCRIPTION':
      if (value.kind !== 'text' || value.data.length === 0) return SimStatus.DIO_INVDATA;
      spec.description = value.data[0]!;
      return SimStatus.OK;
    default:
      return SimStatus.DBM_NOPROP;
  }
}

const ALARM_FIELDS: Partial<Record<string, string>> = {
  MIN: 'minimum',
  MAX: 'maximum',
  NOM: 'nominal',
  MASK: 'mask',
  ALARM_ENABLE: 'alarmEnable',
  ALARM_STATUS: 'alarmStatus',
  ABORT: 'abort',
  ABORT_INHIBIT: 'abortInhibit',
  TRIES_NEEDED: 'triesNeeded',
  TRIES_NOW: 'triesNow',
};

/**
 * The new value, or the status a front end would answer for a value that does not fit the
 * device: `DIO_INVDATA` for the wrong kind (text to a number device, numbers to a text device,
 * NaN or ±Infinity), `DIO_OUT_OF_BOUNDS` for more elements than the device has, `DIO_INVLEN`
 * for raw bytes of the wrong length. Nothing is stored in that case.
 */
function convert(current: SimValue, value: SettingValue, request: DrfRequest, device: SimDevice): SimValue | number {
  const r = request.range;
  const ranged = r !== null && r.mode !== 'full';
  switch (current.kind) {
    case 'scalar': {
      const nums = toNumbers(value, device);
      if (typeof nums === 'number') return nums;
      if (nums.length !== 1) return nums.length === 0 ? SimStatus.DIO_INVDATA : SimStatus.DIO_OUT_OF_BOUNDS;
      return { kind: 'scalar', value: nums[0]! };
    }
    case 'array': {
      const nums = toNumbers(value, device);
      if (typeof nums === 'number') return nums;
      if (nums.length === 0) return SimStatus.DIO_INVDATA;
      const start = !ranged ? 0 : r.kind === 'array' ? (r.low ?? 0) : Math.floor((r.offset ?? 0) / RAW_ELEMENT_BYTES);
      if (start + nums.length > current.values.length) return ranged ? SimStatus.DPM_OUT_OF_BOUNDS : SimStatus.DIO_OUT_OF_BOUNDS;
      const out = Float64Array.from(current.values);
      out.set(nums, start);
      return { kind: 'array', values: out };
    }
    case 'text':
      if (value.kind === 'text') return value.data.length === 1 ? { kind: 'text', value: value.data[0]! } : SimStatus.DIO_INVDATA;
      if (value.kind === 'raw') return { kind: 'text', value: Buffer.from(value.data).toString('utf8') };
      return SimStatus.DIO_INVDATA;
    case 'textArray':
      if (value.kind !== 'text' || value.data.length === 0) return SimStatus.DIO_INVDATA;
      if (value.data.length > current.values.length) return SimStatus.DIO_OUT_OF_BOUNDS;
      return { kind: 'textArray', values: [...value.data, ...current.values.slice(value.data.length)] };
    case 'raw': {
      if (value.kind !== 'raw') return SimStatus.DIO_INVDATA;
      if (r !== null && r.kind === 'byte' && r.mode !== 'full') {
        const off = r.offset ?? 0;
        if (off + value.data.length > current.bytes.length) return SimStatus.DPM_OUT_OF_BOUNDS;
        const out = Uint8Array.from(current.bytes);
        out.set(value.data, off);
        return { kind: 'raw', bytes: out };
      }
      if (value.data.length !== current.bytes.length) return SimStatus.DIO_INVLEN;
      return { kind: 'raw', bytes: Uint8Array.from(value.data) };
    }
  }
}

/** Numbers for a number device: scaled values (finite), or raw int32 counts; text does not fit. */
function toNumbers(value: SettingValue, device: SimDevice): number[] | number {
  switch (value.kind) {
    case 'scaled':
      for (const n of value.data) if (typeof n !== 'number' || !Number.isFinite(n)) return SimStatus.DIO_INVDATA;
      return [...value.data];
    case 'raw':
      return fromRawCounts(value.data, device.scaling) ?? SimStatus.DIO_INVLEN;
    case 'text':
      return SimStatus.DIO_INVDATA;
  }
}
