/**
 * The gateway's WebSocket protocol (version 1), shared by the gateway (Node) and the browser
 * client: message types, and the compact JSON form of a reading. Pure code, no Node built-ins.
 *
 * Browser → gateway, one JSON object per text frame:
 * - `{"op":"subscribe","id":1,"drfs":["M:OUTTMP@p,100"]}`: one DPM list for these DRFs;
 * - `{"op":"unsubscribe","id":1}`: end it (`StopList`, connection closed).
 *
 * Gateway → browser, one JSON **array** of items per text frame. An item is either a reading
 * tuple `[id, k, timestampMs, cycle, status, valueType, value]` (`k`: index of the DRF in the
 * subscription; `timestampMs` 0 = no timestamp; `status`: the signed ACNET status word; an
 * error reading stops after `status`), or a control object with a `t` field: `hello`, `meta`,
 * `state`, `end`, `error`, `hb` (see {@link ControlItem}). Numbers that JSON cannot carry
 * (NaN, ±Infinity) travel as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`; typed arrays
 * travel as JSON arrays.
 *
 * @module
 */
import { AcnetStatus } from '../status/acnet-status.js';
import type { AnalogAlarm, BasicStatus, DeviceMeta, DigitalAlarm, Reading } from '../dpm/reading.js';

/**
 * Version of the gateway protocol, sent in `hello`.
 *
 * @example
 * ```ts
 * if (hello.v !== WIRE_VERSION) throw new Error('gateway speaks another protocol');
 * ```
 */
export const WIRE_VERSION = 1;

/**
 * WebSocket close codes the gateway uses. `GOING_AWAY` (shutdown), `INTERNAL` and `TRY_AGAIN`
 * (a reader too slow for too long) are worth a reconnect; the others say the client sent
 * something the gateway refuses, and reconnecting would not help.
 *
 * @example
 * ```ts
 * ws.close(CLOSE.POLICY, 'duplicate subscription id 3');
 * ```
 */
export const CLOSE = {
  /** The gateway is shutting down. */
  GOING_AWAY: 1001,
  /** A binary frame: the protocol is JSON text. */
  UNSUPPORTED: 1003,
  /** A frame that is not JSON. */
  INVALID: 1007,
  /** A message that breaks the protocol (unknown op, bad id, duplicate id, too many requests). */
  POLICY: 1008,
  /** A message larger than the gateway's limit. */
  TOO_BIG: 1009,
  /** An internal error of the gateway. */
  INTERNAL: 1011,
  /** The client read too slowly for too long (or the gateway is full); try again later. */
  TRY_AGAIN: 1013,
} as const;

/**
 * Whether a close code is worth a reconnect (see {@link CLOSE}).
 *
 * @example
 * ```ts
 * isRetryableClose(CLOSE.GOING_AWAY); // true
 * isRetryableClose(CLOSE.POLICY);     // false
 * ```
 */
export function isRetryableClose(code: number): boolean {
  return code !== CLOSE.UNSUPPORTED && code !== CLOSE.INVALID && code !== CLOSE.POLICY && code !== CLOSE.TOO_BIG;
}

/**
 * A request from the browser.
 *
 * @example
 * ```ts
 * const m: ClientMessage = { op: 'subscribe', id: 1, drfs: ['M:OUTTMP@p,100'] };
 * ```
 */
export type ClientMessage =
  | { readonly op: 'subscribe'; readonly id: number; readonly drfs: readonly string[] }
  | { readonly op: 'unsubscribe'; readonly id: number };

/**
 * The limits a gateway enforces per connection, announced in `hello`.
 *
 * @example
 * ```ts
 * if (drfs.length > hello.limits.maxDrfs) throw new Error('too many devices for this gateway');
 * ```
 */
export interface WireLimits {
  /** Subscriptions open at once on one connection. */
  readonly maxSubscriptions: number;
  /** DRFs over all subscriptions of one connection. */
  readonly maxDrfs: number;
  /** Characters in one DRF. */
  readonly maxDrfLength: number;
  /** Bytes in one message from the browser. */
  readonly maxMessageBytes: number;
}

/**
 * An error as it travels to the browser: the `code` of the `AcsysError` the gateway met, its
 * message, and the fields needed to rebuild it (`DrfError`'s, a list error's status word).
 *
 * @example
 * ```ts
 * const e: WireError = { code: 'DRF_ERROR', message: 'unknown property …', input: 'M:OUTTMP.FOO', position: 9, part: 'property', detail: 'unknown property "FOO"' };
 * ```
 */
export interface WireError {
  /** `DRF_ERROR`, `LIMIT`, `BAD_REQUEST`, `LIST_ERROR`, `CONNECTION_LOST`, … */
  readonly code: string;
  /** Human text. */
  readonly message: string;
  /** DRF errors: the text parsed. */
  readonly input?: string;
  /** DRF errors: 0-based position of the problem. */
  readonly position?: number;
  /** DRF errors: which part is wrong. */
  readonly part?: string;
  /** DRF errors: the problem without location. */
  readonly detail?: string;
  /** List errors: the ACNET status word. */
  readonly status?: number;
}

/**
 * The state of the upstream DPM connection of one subscription (as `ConnectionState` in Node).
 *
 * @example
 * ```ts
 * const s: WireState = { kind: 'reconnecting', attempt: 2, delayMs: 1000, reason: { code: 'CONNECTION_LOST', message: 'closed' } };
 * ```
 */
export type WireState =
  | { readonly kind: 'connecting'; readonly attempt: number }
  | { readonly kind: 'open'; readonly listId: number }
  | { readonly kind: 'stale'; readonly silentMs: number }
  | { readonly kind: 'reconnecting'; readonly attempt: number; readonly delayMs: number; readonly reason: WireError }
  | { readonly kind: 'closed'; readonly reason?: WireError };

/**
 * A control item from the gateway.
 *
 * - `hello`: first item on every connection: protocol version, heartbeat period, limits.
 * - `meta`: device metadata for DRF `k` of subscription `id`; applies to the readings after it.
 * - `state`: the upstream DPM connection of subscription `id` changed state.
 * - `end`: subscription `id` is complete (every request answered: one-shot, logger data).
 * - `error`: subscription `id` failed and is gone (bad DRF, limit, list refused, …).
 * - `hb`: heartbeat; `dropped` counts readings this connection lost to coalescing so far.
 *
 * @example
 * ```ts
 * const item: ControlItem = { t: 'end', id: 3 };
 * ```
 */
export type ControlItem =
  | { readonly t: 'hello'; readonly v: number; readonly heartbeatMs: number; readonly limits: WireLimits }
  | { readonly t: 'meta'; readonly id: number; readonly k: number; readonly m: DeviceMeta }
  | { readonly t: 'state'; readonly id: number; readonly s: WireState }
  | { readonly t: 'end'; readonly id: number }
  | { readonly t: 'error'; readonly id: number; readonly e: WireError }
  | { readonly t: 'hb'; readonly dropped: number };

/**
 * A reading as a tuple: `[id, k, timestampMs, cycle, status]` (error reading) or
 * `[id, k, timestampMs, cycle, status, valueType, value]`.
 *
 * @example
 * ```ts
 * const item: ReadingTuple = [1, 0, 1700000000000, 42, 0, 's', 55.2];
 * ```
 */
export type ReadingTuple =
  | readonly [id: number, k: number, timestampMs: number, cycle: number, status: number]
  | readonly [id: number, k: number, timestampMs: number, cycle: number, status: number, valueType: string, value: unknown];

/** One-letter codes of the value types on the wire. */
const VT_CODE = {
  scalar: 's',
  scalarArray: 'a',
  timedScalarArray: 'l',
  raw: 'r',
  text: 't',
  textArray: 'T',
  basicStatus: 'b',
  analogAlarm: 'A',
  digitalAlarm: 'D',
} as const;

/** A number as JSON text; NaN and ±Infinity as strings. */
function num(v: number): string {
  if (Number.isFinite(v)) return String(v);
  return Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
}

function numArray(a: ArrayLike<number>): string {
  const n = a.length;
  if (n === 0) return '[]';
  let s = '[' + num(a[0]!);
  for (let i = 1; i < n; i++) s += ',' + num(a[i]!);
  return s + ']';
}

function flag(name: string, v: boolean | undefined): string {
  return v === undefined ? '' : `"${name}":${v ? 'true' : 'false'},`;
}

function alarmCommon(v: AnalogAlarm | DigitalAlarm): string {
  return (
    `"alarmEnable":${String(v.alarmEnable)},"alarmStatus":${String(v.alarmStatus)},"abort":${String(v.abort)},` +
    `"abortInhibit":${String(v.abortInhibit)},"triesNeeded":${num(v.triesNeeded)},"triesNow":${num(v.triesNow)}`
  );
}

/** The JSON text of a reading's value and its type code, or '' for an error reading. */
function encodeValue(r: Reading): string {
  switch (r.valueType) {
    case undefined:
      return '';
    case 'scalar':
      return `,"s",${num(r.value)}`;
    case 'scalarArray':
      return `,"a",${numArray(r.value)}`;
    case 'timedScalarArray':
      return `,"l",[${numArray(r.value.data)},${numArray(r.value.micros)}]`;
    case 'raw':
      return `,"r",${numArray(r.value)}`;
    case 'text':
      return `,"t",${JSON.stringify(r.value)}`;
    case 'textArray':
      return `,"T",${JSON.stringify(r.value)}`;
    case 'basicStatus': {
      const v: BasicStatus = r.value;
      const body = flag('on', v.on) + flag('ready', v.ready) + flag('remote', v.remote) + flag('positive', v.positive) + flag('ramp', v.ramp);
      return `,"b",{${body.slice(0, -1)}}`;
    }
    case 'analogAlarm':
      return `,"A",{"minimum":${num(r.value.minimum)},"maximum":${num(r.value.maximum)},${alarmCommon(r.value)}}`;
    case 'digitalAlarm':
      return `,"D",{"nominal":${num(r.value.nominal)},"mask":${num(r.value.mask)},${alarmCommon(r.value)}}`;
  }
}

/**
 * The JSON text of a reading tuple (see the module comment): the hot path of the gateway,
 * written without intermediate objects.
 *
 * @example
 * ```ts
 * encodeReading(1, 0, reading); // '[1,0,1700000000000,42,0,"s",55.2]'
 * ```
 */
export function encodeReading(id: number, k: number, r: Reading): string {
  const ts = r.timestamp === undefined ? 0 : r.timestamp.getTime();
  return `[${id},${k},${ts},${r.cycle},${r.status.code}${encodeValue(r)}]`;
}

/**
 * The JSON text of a control item (`JSON.stringify`, with non-finite numbers in `meta` kept as
 * `null`: metadata holds none).
 *
 * @example
 * ```ts
 * encodeControl({ t: 'end', id: 3 }); // '{"t":"end","id":3}'
 * ```
 */
export function encodeControl(item: ControlItem): string {
  return JSON.stringify(item);
}

/**
 * A frame of items: `[item,item,…]` from their JSON texts.
 *
 * @example
 * ```ts
 * ws.send(frameOf(['{"t":"end","id":3}']));
 * ```
 */
export function frameOf(items: readonly string[]): string {
  return '[' + items.join(',') + ']';
}

/**
 * The wire form of an error: its `code` and message, plus the fields of a `DrfError`
 * (`input`, `position`, `part`, `detail`) or a status word (`status`, from an `AcnetStatus`
 * field of that name) when it has them.
 *
 * @example
 * ```ts
 * wireError(new DrfError('M:X[', 4, 'range', 'unterminated range')).code; // 'DRF_ERROR'
 * ```
 */
export function wireError(e: unknown): WireError {
  if (!(e instanceof Error)) return { code: 'INTERNAL', message: String(e) };
  const x = e as Error & { code?: unknown; input?: unknown; position?: unknown; part?: unknown; detail?: unknown; status?: unknown };
  const out: { -readonly [K in keyof WireError]: WireError[K] } = { code: typeof x.code === 'string' ? x.code : 'INTERNAL', message: e.message };
  if (typeof x.input === 'string') out.input = x.input;
  if (typeof x.position === 'number') out.position = x.position;
  if (typeof x.part === 'string') out.part = x.part;
  if (typeof x.detail === 'string') out.detail = x.detail;
  if (x.status instanceof AcnetStatus) out.status = x.status.code;
  return out;
}

// ---------------------------------------------------------------- decoding (browser side)

function toNum(x: unknown): number {
  return typeof x === 'number' ? x : Number(x);
}

function f64(x: unknown): Float64Array {
  if (!Array.isArray(x)) throw new TypeError('expected an array of numbers');
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v: unknown = x[i];
    out[i] = typeof v === 'number' ? v : Number(v);
  }
  return out;
}

function obj(x: unknown): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new TypeError('expected an object');
  return x as Record<string, unknown>;
}

function bools(o: Record<string, unknown>, names: readonly string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const n of names) if (typeof o[n] === 'boolean') out[n] = o[n];
  return out;
}

const ALARM_FLAGS = ['alarmEnable', 'alarmStatus', 'abort', 'abortInhibit'] as const;

function alarmFields(o: Record<string, unknown>): { alarmEnable: boolean; alarmStatus: boolean; abort: boolean; abortInhibit: boolean; triesNeeded: number; triesNow: number } {
  for (const f of ALARM_FLAGS) if (typeof o[f] !== 'boolean') throw new TypeError(`alarm field ${f} is not a boolean`);
  return {
    alarmEnable: o['alarmEnable'] as boolean,
    alarmStatus: o['alarmStatus'] as boolean,
    abort: o['abort'] as boolean,
    abortInhibit: o['abortInhibit'] as boolean,
    triesNeeded: toNum(o['triesNeeded']),
    triesNow: toNum(o['triesNow']),
  };
}

/**
 * The reading a tuple stands for, with the caller's `drf` and `meta`: the same object shape as a
 * reading of the Node client (`Date` timestamps, `AcnetStatus`, `Float64Array`/`Uint8Array`
 * values). Throws `TypeError` for a malformed tuple.
 *
 * @example
 * ```ts
 * const r = decodeReading([1, 0, 1700000000000, 42, 0, 's', 55.2], 'M:OUTTMP@p,100', undefined);
 * r.value; // 55.2
 * ```
 */
export function decodeReading(t: readonly unknown[], drf: string, meta: DeviceMeta | undefined): Reading {
  const tsMs = t[2];
  const cycle = t[3];
  const word = t[4];
  if (typeof tsMs !== 'number' || typeof cycle !== 'number' || typeof word !== 'number') throw new TypeError('malformed reading tuple');
  const timestamp = tsMs === 0 ? undefined : new Date(tsMs);
  const status = AcnetStatus.fromWord(word);
  if (t.length === 5) return { drf, valueType: undefined, value: undefined, timestamp, cycle, status, meta };
  if (t.length !== 7) throw new TypeError('malformed reading tuple');
  const v = t[6];
  switch (t[5]) {
    case VT_CODE.scalar:
      return { drf, valueType: 'scalar', value: toNum(v), timestamp, cycle, status, meta };
    case VT_CODE.scalarArray:
      return { drf, valueType: 'scalarArray', value: f64(v), timestamp, cycle, status, meta };
    case VT_CODE.timedScalarArray: {
      if (!Array.isArray(v) || v.length !== 2) throw new TypeError('malformed timed array');
      return { drf, valueType: 'timedScalarArray', value: { data: f64(v[0]), micros: f64(v[1]) }, timestamp, cycle, status, meta };
    }
    case VT_CODE.raw:
      return { drf, valueType: 'raw', value: Uint8Array.from(f64(v)), timestamp, cycle, status, meta };
    case VT_CODE.text:
      if (typeof v !== 'string') throw new TypeError('text value is not a string');
      return { drf, valueType: 'text', value: v, timestamp, cycle, status, meta };
    case VT_CODE.textArray:
      if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new TypeError('text array value is not an array of strings');
      return { drf, valueType: 'textArray', value: v as string[], timestamp, cycle, status, meta };
    case VT_CODE.basicStatus:
      return { drf, valueType: 'basicStatus', value: bools(obj(v), ['on', 'ready', 'remote', 'positive', 'ramp']), timestamp, cycle, status, meta };
    case VT_CODE.analogAlarm: {
      const o = obj(v);
      return { drf, valueType: 'analogAlarm', value: { minimum: toNum(o['minimum']), maximum: toNum(o['maximum']), ...alarmFields(o) }, timestamp, cycle, status, meta };
    }
    case VT_CODE.digitalAlarm: {
      const o = obj(v);
      return { drf, valueType: 'digitalAlarm', value: { nominal: toNum(o['nominal']), mask: toNum(o['mask']), ...alarmFields(o) }, timestamp, cycle, status, meta };
    }
    default:
      throw new TypeError(`unknown value type ${JSON.stringify(t[5])}`);
  }
}
