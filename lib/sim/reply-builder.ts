/**
 * Builds the data reply for one request from the current device state, following the
 * request → reply mapping of `dpm-behaviour.md` §6.1 (property, field, range).
 *
 * @example
 * ```ts
 * const reply = buildDataReply(store, store.find('M:OUTTMP')!, parseDrf('M:OUTTMP'), { refId: 1, now: Date.now(), cycle: 0 });
 * // { type: 'Scalar_reply', ref_id: 1, ..., data: 55.2 }
 * ```
 *
 * @module
 */
import type { EncodableReply } from '../protocol/index.js';
import type { DrfField, DrfRange, DrfRequest } from '../drf/types.js';
import type { DeviceStore, SimDevice, ValueProperty } from './device-store.js';
import { RAW_ELEMENT_BYTES, toPrimary, toRaw, type SimValue } from './sim-value.js';
import { SimStatus } from './status-words.js';
import type { AnalogAlarmSpec, BasicStatusSpec, DigitalAlarmSpec } from './catalogue/codec.js';

/**
 * The per-reply context: which ref_id, the timestamp (ms since the epoch) and cycle.
 *
 * @example
 * ```ts
 * const ctx: ReplyContext = { refId: 7, now: Date.now(), cycle: 12 };
 * ```
 */
export interface ReplyContext {
  readonly refId: number;
  readonly now: number;
  readonly cycle: number;
}

/**
 * A `Status_reply` for `ctx.refId` with `status`.
 *
 * @example
 * ```ts
 * statusReply({ refId: 2, now: Date.now(), cycle: 0 }, SimStatus.DBM_NOPROP);
 * ```
 */
export function statusReply(ctx: ReplyContext, status: number): EncodableReply {
  return { type: 'Status_reply', ref_id: ctx.refId, timestamp: ctx.now, cycle: ctx.cycle, status };
}

/**
 * The reply for `request` on `device` now: a data reply, or a `Status_reply` with an error
 * (`DBM_NOPROP` for a property or field the device lacks, `DPM_OUT_OF_BOUNDS` /
 * `DPM_BAD_RANGE` for a bad range, `DIO_NOSCALE` for PRIMARY of non-numeric data).
 * A CONTROL read answers `Status_reply` with status 0.
 *
 * @example
 * ```ts
 * buildDataReply(store, dev, parseDrf('Z:ARRAY1K[0:9]'), ctx).type; // 'ScalarArray_reply'
 * ```
 */
export function buildDataReply(store: DeviceStore, device: SimDevice, request: DrfRequest, ctx: ReplyContext): EncodableReply {
  // Hot path (every reply of every request): no per-call closures, no spreads.
  const spec = device.spec;
  const head: Head = { ref_id: ctx.refId, timestamp: ctx.now, cycle: ctx.cycle };
  const field = request.field;

  switch (request.property) {
    case 'READING':
    case 'SETTING': {
      const prop: ValueProperty = request.property === 'READING' ? 'reading' : 'setting';
      const value = store.valueAt(device, prop, ctx.now);
      if (value === undefined) return statusReply(ctx, SimStatus.DBM_NOPROP);
      if (field === 'UNITS') return spec.units === undefined ? statusReply(ctx, SimStatus.DBM_NOPROP) : textReply(head, spec.units);
      if (field === 'MIN' || field === 'MAX') {
        if (!spec.analogAlarm) return statusReply(ctx, SimStatus.DBM_NOPROP);
        return scalarReply(head, field === 'MIN' ? spec.analogAlarm.minimum : spec.analogAlarm.maximum);
      }
      if (field === 'RAW') {
        const bytes = toRaw(value, device.scaling);
        const sel = selectRaw(bytes, request.range, value.kind === 'scalar' || value.kind === 'array');
        return typeof sel === 'number' ? statusReply(ctx, sel) : { type: 'Raw_reply', ...head, status: 0, data: sel };
      }
      if (value.kind === 'scalar' && request.range === null && field !== 'PRIMARY' && field !== 'VOLTS') {
        return scalarReply(head, value.value); // the common case, as valueReply would answer it
      }
      return valueReply(value, request.range, field, device, head);
    }
    case 'STATUS':
    case 'BIT_STATUS': {
      const st = spec.status;
      if (st === undefined) return statusReply(ctx, SimStatus.DBM_NOPROP);
      return statusFieldReply(st, field, head, (status) => statusReply(ctx, status));
    }
    case 'CONTROL':
      if (spec.status === undefined && spec.setting === undefined) return statusReply(ctx, SimStatus.DBM_NOPROP);
      return statusReply(ctx, SimStatus.OK);
    case 'ANALOG': {
      const a = spec.analogAlarm;
      if (a === undefined) return statusReply(ctx, SimStatus.DBM_NOPROP);
      if (field === null || field === 'ALL') {
        return {
          type: 'AnalogAlarm_reply',
          ...head,
          minimum: a.minimum,
          maximum: a.maximum,
          alarm_enable: a.alarmEnable,
          alarm_status: a.alarmStatus,
          abort: a.abort,
          abort_inhibit: a.abortInhibit,
          tries_needed: a.triesNeeded,
          tries_now: a.triesNow,
        };
      }
      return alarmFieldReply(a, undefined, field, device, head, (status) => statusReply(ctx, status));
    }
    case 'DIGITAL': {
      const d = spec.digitalAlarm;
      if (d === undefined) return statusReply(ctx, SimStatus.DBM_NOPROP);
      if (field === null || field === 'ALL') {
        return {
          type: 'DigitalAlarm_reply',
          ...head,
          nominal: d.nominal,
          mask: d.mask,
          alarm_enable: d.alarmEnable,
          alarm_status: d.alarmStatus,
          abort: d.abort,
          abort_inhibit: d.abortInhibit,
          tries_needed: d.triesNeeded,
          tries_now: d.triesNow,
        };
      }
      return alarmFieldReply(undefined, d, field, device, head, (status) => statusReply(ctx, status));
    }
    case 'DESCRIPTION':
      return textReply(head, spec.description);
    case 'LONG_NAME':
      return textReply(head, spec.longName ?? spec.description);
    case 'ALARM_LIST_NAME':
      return spec.alarmListName === undefined ? statusReply(ctx, SimStatus.DBM_NOPROP) : textReply(head, spec.alarmListName);
    case 'INDEX':
      return scalarReply(head, spec.index);
  }
}

type Head = { ref_id: number; timestamp: number; cycle: number };

function scalarReply(head: Head, data: number): EncodableReply {
  return { type: 'Scalar_reply', ref_id: head.ref_id, timestamp: head.timestamp, cycle: head.cycle, status: 0, data };
}

function textReply(head: Head, data: string): EncodableReply {
  return { type: 'Text_reply', ref_id: head.ref_id, timestamp: head.timestamp, cycle: head.cycle, status: 0, data };
}

function valueReply(value: SimValue, range: DrfRange | null, field: DrfField | null, device: SimDevice, head: Head): EncodableReply {
  const primary = field === 'PRIMARY' || field === 'VOLTS';
  switch (value.kind) {
    case 'raw': {
      const sel = selectRaw(value.bytes, range, false);
      return typeof sel === 'number' ? headStatus(head, sel) : { type: 'Raw_reply', ...head, status: 0, data: sel };
    }
    case 'text':
      if (primary) return headStatus(head, SimStatus.DIO_NOSCALE);
      if (range !== null && range.kind === 'array' && range.mode !== 'full' && !(range.low === 0 || range.low === null)) {
        return headStatus(head, SimStatus.DPM_OUT_OF_BOUNDS);
      }
      return { type: 'Text_reply', ...head, status: 0, data: value.value };
    case 'textArray': {
      if (primary) return headStatus(head, SimStatus.DIO_NOSCALE);
      const sel = selectElements(value.values.length, range);
      if (typeof sel === 'number') return headStatus(head, sel);
      const picked = value.values.slice(sel.start, sel.end);
      if (sel.single) return { type: 'Text_reply', ...head, status: 0, data: picked[0]! };
      return { type: 'TextArray_reply', ...head, status: 0, data: picked };
    }
    case 'scalar':
    case 'array': {
      const all = value.kind === 'scalar' ? Float64Array.of(value.value) : value.values;
      const sel = selectElements(all.length, range);
      if (typeof sel === 'number') return headStatus(head, sel);
      let picked = all.subarray(sel.start, sel.end);
      if (primary) picked = picked.map((v) => toPrimary(v, device.scaling));
      if (sel.single || (value.kind === 'scalar' && range === null)) {
        return { type: 'Scalar_reply', ...head, status: 0, data: picked[0]! };
      }
      return { type: 'ScalarArray_reply', ...head, status: 0, data: picked };
    }
  }
}

function headStatus(head: Head, status: number): EncodableReply {
  return { type: 'Status_reply', ...head, status };
}

interface Selection {
  start: number;
  end: number;
  single: boolean;
}

/** Element selection for an array or byte range over `n` elements (byte ranges: whole int32 elements). */
function selectElements(n: number, range: DrfRange | null): Selection | number {
  if (range === null || range.mode === 'full') return { start: 0, end: n, single: false };
  if (range.kind === 'array') {
    if (range.mode === 'single') return range.low < n ? { start: range.low, end: range.low + 1, single: true } : SimStatus.DPM_OUT_OF_BOUNDS;
    const lo = range.low ?? 0;
    const hi = range.high ?? n - 1;
    if (lo > hi) return SimStatus.DPM_BAD_RANGE;
    if (hi >= n) return SimStatus.DPM_OUT_OF_BOUNDS;
    return { start: lo, end: hi + 1, single: false };
  }
  const off = range.offset ?? 0;
  const len = range.mode === 'single' ? RAW_ELEMENT_BYTES : (range.length ?? n * RAW_ELEMENT_BYTES - off);
  if (off % RAW_ELEMENT_BYTES !== 0 || len % RAW_ELEMENT_BYTES !== 0 || len <= 0) return SimStatus.DPM_BAD_LENGTH;
  const start = off / RAW_ELEMENT_BYTES;
  const end = start + len / RAW_ELEMENT_BYTES;
  if (end > n) return SimStatus.DPM_OUT_OF_BOUNDS;
  return { start, end, single: false };
}

/** Byte selection of raw data: byte ranges directly; array ranges by int32 element when numeric. */
function selectRaw(bytes: Uint8Array, range: DrfRange | null, numeric: boolean): Uint8Array | number {
  if (range === null || range.mode === 'full') return bytes;
  if (range.kind === 'byte') {
    const off = range.offset ?? 0;
    const len = range.mode === 'single' ? 1 : (range.length ?? bytes.length - off);
    if (off + len > bytes.length || len < 0) return SimStatus.DPM_OUT_OF_BOUNDS;
    return bytes.subarray(off, off + len);
  }
  const size = numeric ? RAW_ELEMENT_BYTES : 1;
  const sel = selectElements(bytes.length / size, range);
  if (typeof sel === 'number') return sel;
  return bytes.subarray(sel.start * size, sel.end * size);
}

const STATUS_BITS = ['on', 'ready', 'remote', 'positive', 'ramp'] as const;
const BIT_NAMES: Record<(typeof STATUS_BITS)[number], string> = {
  on: 'On',
  ready: 'Ready',
  remote: 'Remote',
  positive: 'Positive',
  ramp: 'Ramp',
};
const BIT_TEXT: Record<(typeof STATUS_BITS)[number], [string, string]> = {
  on: ['On', 'Off'],
  ready: ['Ready', 'Tripped'],
  remote: ['Remote', 'Local'],
  positive: ['Positive', 'Negative'],
  ramp: ['Ramp', 'DC'],
};

function statusWord(st: BasicStatusSpec): number {
  let w = 0;
  STATUS_BITS.forEach((b, i) => {
    if (st[b] === true) w |= 1 << i;
  });
  return w;
}

function statusFieldReply(st: BasicStatusSpec, field: DrfField | null, head: Head, fail: (s: number) => EncodableReply): EncodableReply {
  const present = STATUS_BITS.filter((b) => st[b] !== undefined);
  switch (field) {
    case null:
    case 'ALL': {
      const r: EncodableReply = { type: 'BasicStatus_reply', ...head };
      for (const b of present) r[b] = st[b]!;
      return r;
    }
    case 'ON':
    case 'READY':
    case 'REMOTE':
    case 'POSITIVE':
    case 'RAMP': {
      const b = field.toLowerCase() as (typeof STATUS_BITS)[number];
      const v = st[b];
      return v === undefined ? fail(SimStatus.DBM_NOPROP) : { type: 'Scalar_reply', ...head, status: 0, data: v ? 1 : 0 };
    }
    case 'TEXT':
      return { type: 'Text_reply', ...head, status: 0, data: present.map((b) => BIT_TEXT[b][st[b] ? 0 : 1]).join(' ') };
    case 'EXTENDED_TEXT':
      return {
        type: 'Text_reply',
        ...head,
        status: 0,
        data: present.map((b) => `${BIT_NAMES[b]}: ${BIT_TEXT[b][st[b] ? 0 : 1]}`).join(', '),
      };
    case 'RAW': {
      const w = statusWord(st);
      return { type: 'Raw_reply', ...head, status: 0, data: Uint8Array.of(w & 0xff, (w >> 8) & 0xff) };
    }
    case 'BIT_VALUE':
      return { type: 'Scalar_reply', ...head, status: 0, data: statusWord(st) };
    case 'BIT_NAMES':
      return { type: 'TextArray_reply', ...head, status: 0, data: present.map((b) => BIT_NAMES[b]) };
    case 'BIT_VALUES':
      return { type: 'TextArray_reply', ...head, status: 0, data: present.map((b) => BIT_TEXT[b][st[b] ? 0 : 1]) };
    default:
      return fail(SimStatus.DBM_NOPROP);
  }
}

function alarmFieldReply(
  a: AnalogAlarmSpec | undefined,
  d: DigitalAlarmSpec | undefined,
  field: DrfField,
  device: SimDevice,
  head: Head,
  fail: (s: number) => EncodableReply,
): EncodableReply {
  const common = (a ?? d)!;
  const num = (v: number): EncodableReply => ({ type: 'Scalar_reply', ...head, status: 0, data: v });
  const flags =
    (common.alarmEnable ? 1 : 0) | (common.alarmStatus ? 2 : 0) | (common.abort ? 4 : 0) | (common.abortInhibit ? 8 : 0);
  switch (field) {
    case 'ALARM_ENABLE':
      return num(common.alarmEnable ? 1 : 0);
    case 'ALARM_STATUS':
      return num(common.alarmStatus ? 1 : 0);
    case 'ABORT':
      return num(common.abort ? 1 : 0);
    case 'ABORT_INHIBIT':
      return num(common.abortInhibit ? 1 : 0);
    case 'TRIES_NEEDED':
      return num(common.triesNeeded);
    case 'TRIES_NOW':
      return num(common.triesNow);
    case 'FLAGS':
      return num(flags);
    case 'ALARM_FTD':
      return num(60);
    case 'TEXT':
      return {
        type: 'Text_reply',
        ...head,
        status: 0,
        data: a
          ? `min ${a.minimum} max ${a.maximum} ${a.alarmEnable ? 'enabled' : 'bypassed'} ${a.alarmStatus ? 'ALARM' : 'good'}`
          : `nominal ${d!.nominal} mask ${d!.mask} ${d!.alarmEnable ? 'enabled' : 'bypassed'} ${d!.alarmStatus ? 'ALARM' : 'good'}`,
      };
    case 'RAW': {
      const out = new Uint8Array(12);
      const dv = new DataView(out.buffer);
      dv.setInt32(0, flags, true);
      dv.setInt32(4, a ? Math.round(toPrimary(a.minimum, device.scaling)) : d!.nominal, true);
      dv.setInt32(8, a ? Math.round(toPrimary(a.maximum, device.scaling)) : d!.mask, true);
      return { type: 'Raw_reply', ...head, status: 0, data: out };
    }
    default:
      break;
  }
  if (a) {
    switch (field) {
      case 'MIN':
        return num(a.minimum);
      case 'MAX':
        return num(a.maximum);
      case 'NOM':
        return num((a.minimum + a.maximum) / 2);
      case 'TOL':
        return num((a.maximum - a.minimum) / 2);
      case 'RAW_MIN':
        return num(Math.round(toPrimary(a.minimum, device.scaling)));
      case 'RAW_MAX':
        return num(Math.round(toPrimary(a.maximum, device.scaling)));
      case 'RAW_NOM':
        return num(Math.round(toPrimary((a.minimum + a.maximum) / 2, device.scaling)));
      case 'RAW_TOL':
        return num(Math.round((a.maximum - a.minimum) / 2 / device.scaling.scale));
      default:
        return fail(SimStatus.DBM_NOPROP);
    }
  }
  switch (field) {
    case 'NOM':
      return num(d!.nominal);
    case 'MASK':
      return num(d!.mask);
    default:
      return fail(SimStatus.DBM_NOPROP);
  }
}
