import type { AnalogAlarmReply, DeviceInfoReply, DigitalAlarmReply, ReplyMessage } from '../protocol/index.js';
import { AcnetStatus } from '../status/index.js';
import type { AlarmCommon, DeviceMeta, ErrorReading, Reading, TimedArray } from './reading.js';

const statusCache = new Map<number, AcnetStatus>();

/**
 * The `AcnetStatus` of a status word, memoised (the hot path creates none).
 *
 * @example
 * ```ts
 * statusOf(0).isSuccess; // true
 * ```
 */
export function statusOf(word: number): AcnetStatus {
  let s = statusCache.get(word);
  if (s === undefined) {
    s = AcnetStatus.fromWord(word);
    statusCache.set(word, s);
  }
  return s;
}

const OK = 0;

/**
 * Metadata from a `DeviceInfo_reply`.
 *
 * @example
 * ```ts
 * const meta = metaFrom({ type: 'DeviceInfo_reply', ref_id: 1, di: 27235, name: 'M:OUTTMP', description: 'Outdoor temp', units: 'DegF' });
 * ```
 */
export function metaFrom(m: DeviceInfoReply): DeviceMeta {
  return {
    di: m.di,
    name: m.name,
    description: m.description,
    units: m.units,
    formatHint: m.format_hint,
  };
}

function ts(ms: number): Date | undefined {
  return ms === 0 ? undefined : new Date(ms);
}

/**
 * A reading without value for `drf` with `status`.
 *
 * @example
 * ```ts
 * const r = errorReading('M:OUTTMP', statusOf(-1535), undefined); // ACNET_REQTMO
 * ```
 */
export function errorReading(
  drf: string,
  status: AcnetStatus,
  meta: DeviceMeta | undefined,
  timestampMs = 0,
  cycle = 0,
): ErrorReading {
  return { drf, valueType: undefined, value: undefined, timestamp: ts(timestampMs), cycle, status, meta };
}

/** The fields analog and digital alarm replies share, in the reading's names. */
function alarmCommon(m: AnalogAlarmReply | DigitalAlarmReply): AlarmCommon {
  return {
    alarmEnable: m.alarm_enable,
    alarmStatus: m.alarm_status,
    abort: m.abort,
    abortInhibit: m.abort_inhibit,
    triesNeeded: m.tries_needed,
    triesNow: m.tries_now,
  };
}

/**
 * The reading a data reply (or `Status_reply`) stands for, or `undefined` when
 * `m` is not a per-device data reply (`DeviceInfo_reply`, `StartList_reply`, …).
 * Values are mapped per `dpm-behaviour.md` §6.3; arrays are `Float64Array`.
 *
 * @example
 * ```ts
 * const r = readingFromReply(reply, 'M:OUTTMP', meta);
 * if (r?.valueType === 'scalar') console.log(r.value);
 * ```
 */
export function readingFromReply(m: ReplyMessage, drf: string, meta: DeviceMeta | undefined): Reading | undefined {
  switch (m.type) {
    case 'Scalar_reply':
      return { drf, valueType: 'scalar', value: m.data, timestamp: ts(m.timestamp), cycle: m.cycle, status: statusOf(m.status), meta };
    case 'ScalarArray_reply':
      return { drf, valueType: 'scalarArray', value: m.data, timestamp: ts(m.timestamp), cycle: m.cycle, status: statusOf(m.status), meta };
    case 'TimedScalarArray_reply':
      if (m.micros.length === 0) {
        return { drf, valueType: 'scalarArray', value: m.data, timestamp: ts(m.timestamp), cycle: m.cycle, status: statusOf(m.status), meta };
      }
      return {
        drf,
        valueType: 'timedScalarArray',
        value: { data: m.data, micros: Float64Array.from(m.micros) },
        timestamp: ts(m.timestamp),
        cycle: m.cycle,
        status: statusOf(m.status),
        meta,
      };
    case 'Raw_reply':
      return { drf, valueType: 'raw', value: m.data, timestamp: ts(m.timestamp), cycle: m.cycle, status: statusOf(m.status), meta };
    case 'Text_reply':
      return { drf, valueType: 'text', value: m.data, timestamp: ts(m.timestamp), cycle: m.cycle, status: statusOf(m.status), meta };
    case 'TextArray_reply':
      return { drf, valueType: 'textArray', value: m.data, timestamp: ts(m.timestamp), cycle: m.cycle, status: statusOf(m.status), meta };
    case 'BasicStatus_reply': {
      const v: { on?: boolean; ready?: boolean; remote?: boolean; positive?: boolean; ramp?: boolean } = {};
      if (m.on !== undefined) v.on = m.on;
      if (m.ready !== undefined) v.ready = m.ready;
      if (m.remote !== undefined) v.remote = m.remote;
      if (m.positive !== undefined) v.positive = m.positive;
      if (m.ramp !== undefined) v.ramp = m.ramp;
      return { drf, valueType: 'basicStatus', value: v, timestamp: ts(m.timestamp), cycle: m.cycle, status: statusOf(OK), meta };
    }
    case 'AnalogAlarm_reply':
      return {
        drf,
        valueType: 'analogAlarm',
        value: {
          minimum: m.minimum,
          maximum: m.maximum,
          ...alarmCommon(m),
        },
        timestamp: ts(m.timestamp),
        cycle: m.cycle,
        status: statusOf(OK),
        meta,
      };
    case 'DigitalAlarm_reply':
      return {
        drf,
        valueType: 'digitalAlarm',
        value: {
          nominal: m.nominal,
          mask: m.mask,
          ...alarmCommon(m),
        },
        timestamp: ts(m.timestamp),
        cycle: m.cycle,
        status: statusOf(OK),
        meta,
      };
    case 'Status_reply':
      return errorReading(drf, statusOf(m.status), meta, m.timestamp, m.cycle);
    default:
      return undefined;
  }
}

/**
 * Gathers logger chunks for one request (`dpm-behaviour.md` §7): non-empty
 * `TimedScalarArray_reply`/`ScalarArray_reply` chunks accumulate; the empty
 * one ends it. `push` returns the final reading at the terminator (or at the
 * first error), otherwise `undefined`.
 *
 * @example
 * ```ts
 * const acc = new LoggerAccumulator('M:OUTTMP<-LOGGER:1:2');
 * for (const m of replies) { const r = acc.push(m, meta); if (r) return r; }
 * ```
 */
export class LoggerAccumulator {
  private readonly data: Float64Array[] = [];
  private readonly micros: number[][] = [];
  private count = 0;
  private firstTs = 0;
  private sawMicros = false;
  private chunks = 0;

  constructor(private readonly drf: string) {}

  /** Number of points gathered so far. */
  get points(): number {
    return this.count;
  }

  /** Feed one reply for this request; returns the final reading when complete. */
  push(m: ReplyMessage, meta: DeviceMeta | undefined): Reading | undefined {
    if (m.type === 'Status_reply') return errorReading(this.drf, statusOf(m.status), meta, m.timestamp, m.cycle);
    if (m.type !== 'TimedScalarArray_reply' && m.type !== 'ScalarArray_reply') {
      // Any other data type ends the request as it is (e.g. LOGGERSINGLE's Scalar_reply).
      return readingFromReply(m, this.drf, meta);
    }
    const status = statusOf(m.status);
    if (m.data.length > 0) {
      if (this.chunks === 0) this.firstTs = m.timestamp;
      this.chunks++;
      this.data.push(m.data);
      if (m.type === 'TimedScalarArray_reply' && m.micros.length > 0) {
        this.sawMicros = true;
        this.micros.push(m.micros);
      }
      this.count += m.data.length;
      if (status.isFailure) return errorReading(this.drf, status, meta, m.timestamp, m.cycle);
      return undefined;
    }
    if (status.isFailure) return errorReading(this.drf, status, meta, m.timestamp, m.cycle);
    return this.finish(meta, m.timestamp);
  }

  private finish(meta: DeviceMeta | undefined, endTs: number): Reading {
    const data = new Float64Array(this.count);
    let o = 0;
    for (const d of this.data) {
      data.set(d, o);
      o += d.length;
    }
    const t = ts(this.chunks > 0 ? this.firstTs : endTs);
    if (!this.sawMicros && this.count > 0) {
      return { drf: this.drf, valueType: 'scalarArray', value: data, timestamp: t, cycle: 0, status: statusOf(OK), meta };
    }
    const micros = new Float64Array(this.count);
    o = 0;
    for (const mc of this.micros) {
      for (let i = 0; i < mc.length && o < micros.length; i++) micros[o++] = mc[i]!;
    }
    const value: TimedArray = { data, micros };
    return { drf: this.drf, valueType: 'timedScalarArray', value, timestamp: t, cycle: 0, status: statusOf(OK), meta };
  }
}
