/**
 * Checks settings before anything is sent: DRFs, values (finite, non-empty, of a supported
 * shape), alarm blocks, and the size of the frames they need (`dpm-behaviour.md` §2.4).
 *
 * @module
 */
import { writeRequest, writeTarget } from '../../drf/helpers.js';
import { AcsysError } from '../../errors/acsys-error.js';
import { RequestTooLargeError } from '../../errors/request-too-large-error.js';
import { requestFrameSize } from '../../protocol/encode.js';
import { MAX_REQUEST_FRAME_BYTES } from '../../protocol/frame-limit.js';
import { expandAlarmBlock, isAlarmBlock, type AlarmBlockSetting } from './alarm.js';
import { InvalidSettingError } from './invalid-setting-error.js';
import { assertRequestFits } from '../request-fits.js';
import { applySettingsRequest, settingPayload, type SettingPayload, type SettingValue } from './setting-value.js';

/**
 * One setting ready to send: the DRF as given, its write target (`writeTarget`, event `@N`) and
 * its wire value.
 *
 * @example
 * ```ts
 * const s: PreparedSetting = { drf: 'Z:ACLTST', wire: 'Z:ACLTST.SETTING@N', payload: { kind: 'scaled', data: [42] } };
 * ```
 */
export interface PreparedSetting {
  readonly drf: string;
  readonly wire: string;
  readonly payload: SettingPayload;
}

/**
 * One entry of a write, checked: a plain setting, or an alarm block expanded into its field
 * settings (sent one after the other).
 *
 * @example
 * ```ts
 * const e: WriteEntry = prepareSetting('Z:ACLTST', 42); // { kind: 'plain', ... }
 * ```
 */
export type WriteEntry =
  | { readonly kind: 'plain'; readonly drf: string; readonly value: SettingValue; readonly setting: PreparedSetting }
  | { readonly kind: 'alarm'; readonly drf: string; readonly fields: readonly PreparedSetting[]; readonly values: readonly number[] };

/** Room left in a frame for the `user_name` (the principal), which is not known yet. */
const USER_NAME_ALLOWANCE = 1024;
/** Largest list and ref ids, for size estimates that hold whatever ids the connection uses. */
const ID_MAX = 0x7fffffff;

/**
 * Checks one setting and prepares it. Throws, before anything is sent:
 * - `InvalidSettingError` for a value that makes no sense: NaN or ±Infinity (also inside arrays),
 *   empty arrays or bytes, mixed arrays or holes, an object that is not an alarm block, an unknown
 *   control word, a bad alarm block;
 * - `DrfError` for a bad DRF;
 * - `RequestTooLargeError` when the DRF or the value alone cannot fit in one frame (128 KiB).
 *
 * @example
 * ```ts
 * prepareSetting('Z:ACLTST', 42).kind;        // 'plain'
 * prepareSetting('Z:ACLTST', NaN);            // throws InvalidSettingError (reason 'not-finite')
 * ```
 */
export function prepareSetting(drf: unknown, value: unknown): WriteEntry {
  if (typeof drf !== 'string') {
    throw new InvalidSettingError(describe(drf), 'unsupported', `expected a DRF string, got ${describe(drf)}`);
  }
  assertRequestFits(drf, drf);
  const wire = writeTarget(drf); // DrfError for a bad DRF
  assertRequestFits(drf, wire);
  if (isAlarmBlock(value) && !(value instanceof Uint8Array)) {
    let fields;
    try {
      fields = expandAlarmBlock(drf, value as AlarmBlockSetting);
    } catch (e) {
      throw asInvalid(drf, 'alarm-block', e);
    }
    return {
      kind: 'alarm',
      drf,
      values: fields.map((f) => f.value),
      fields: fields.map((f) => checked({ drf: f.drf, wire: writeTarget(f.drf), payload: { kind: 'scaled', data: [f.value] } })),
    };
  }
  const payload = payloadOf(drf, value, writeRequest(drf).property);
  return { kind: 'plain', drf, value: value as SettingValue, setting: checked({ drf, wire, payload }) };
}

/**
 * Checks and prepares every setting of a `writeMany` (`[{ drf, value }, …]` or `{ [drf]: value }`);
 * the first bad one throws (see {@link prepareSetting}), so a batch is refused whole.
 *
 * @example
 * ```ts
 * prepareSettings({ 'Z:ACLTST': 1, 'Z:TEXTDEV': 'hi' }).length; // 2
 * ```
 */
export function prepareSettings(settings: unknown): WriteEntry[] {
  let list: readonly unknown[];
  if (Array.isArray(settings)) list = settings;
  else if (typeof settings === 'object' && settings !== null && !ArrayBuffer.isView(settings)) {
    list = Object.entries(settings as Record<string, unknown>).map(([drf, value]) => ({ drf, value }));
  } else {
    throw new InvalidSettingError(describe(settings), 'unsupported', `writeMany expects [{ drf, value }, ...] or { [drf]: value }, got ${describe(settings)}`);
  }
  const out: WriteEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    if (!(i in list)) throw new InvalidSettingError(`settings[${i}]`, 'unsupported', 'the settings array has a hole here');
    const s = list[i];
    if (typeof s !== 'object' || s === null || !('drf' in s) || !('value' in s)) {
      throw new InvalidSettingError(`settings[${i}]`, 'unsupported', `expected { drf, value }, got ${describe(s)}`);
    }
    const { drf, value } = s as { drf: unknown; value: unknown };
    out.push(prepareSetting(drf, value));
  }
  return out;
}

/**
 * Splits settings into batches whose `ApplySettings_request` (with `userName` as its `user_name`)
 * fits in one frame, keeping their order. Every single setting must fit on its own (checked by
 * {@link prepareSetting}); throws `RequestTooLargeError` otherwise.
 *
 * @example
 * ```ts
 * splitIntoFrames(settings, 'alice@FNAL.GOV').map((b) => b.length); // e.g. [3800, 3800, 2400]
 * ```
 */
export function splitIntoFrames(settings: readonly PreparedSetting[], userName: string, limit = MAX_REQUEST_FRAME_BYTES): PreparedSetting[][] {
  const base = applySize(userName, []);
  const batches: PreparedSetting[][] = [];
  let batch: PreparedSetting[] = [];
  let size = base;
  for (const s of settings) {
    // the increment of one setting, plus room for the array counts to grow by a byte or two
    const each = applySize(userName, [s]) - base + 8;
    if (base + each > limit) throw tooLarge(s, applySize(userName, [s]), limit);
    if (batch.length > 0 && size + each > limit) {
      batches.push(batch);
      batch = [];
      size = base;
    }
    batch.push(s);
    size += each;
  }
  if (batch.length > 0) batches.push(batch);
  // the estimate is conservative; make sure of it
  return batches.flatMap((b) => fitExactly(b, userName, limit));
}

function fitExactly(batch: PreparedSetting[], userName: string, limit: number): PreparedSetting[][] {
  if (batch.length <= 1 || applySize(userName, batch) <= limit) return [batch];
  const half = batch.length >> 1;
  return [...fitExactly(batch.slice(0, half), userName, limit), ...fitExactly(batch.slice(half), userName, limit)];
}

function applySize(userName: string, settings: readonly PreparedSetting[]): number {
  return requestFrameSize(applySettingsRequest(userName, ID_MAX, settings.map((s) => [ID_MAX, s.payload] as const)));
}

function checked(s: PreparedSetting): PreparedSetting {
  assertRequestFits(s.drf, s.wire);
  const bytes = applySize('', [s]) + USER_NAME_ALLOWANCE;
  if (bytes > MAX_REQUEST_FRAME_BYTES) throw tooLarge(s, bytes - USER_NAME_ALLOWANCE, MAX_REQUEST_FRAME_BYTES - USER_NAME_ALLOWANCE);
  return s;
}


function tooLarge(s: PreparedSetting, bytes: number, limit: number): RequestTooLargeError {
  return new RequestTooLargeError(s.drf, `the setting (${describePayload(s.payload)})`, bytes, limit);
}

function describePayload(p: SettingPayload): string {
  if (p.kind === 'raw') return `${p.data.length} raw bytes`;
  if (p.kind === 'scaled') return `${p.data.length} numbers`;
  let n = 0;
  for (const t of p.data) n += t.length;
  return `${p.data.length} text(s) of ${n} characters`;
}

function payloadOf(drf: string, value: unknown, property: string): SettingPayload {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new InvalidSettingError(drf, 'empty', 'an empty array sets nothing');
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new InvalidSettingError(drf, 'unsupported', `the value array has a hole at index ${i}`);
    }
  } else if (value instanceof Uint8Array && value.length === 0) {
    throw new InvalidSettingError(drf, 'empty', 'empty raw bytes set nothing');
  } else if (value instanceof Float64Array && value.length === 0) {
    throw new InvalidSettingError(drf, 'empty', 'an empty array sets nothing');
  } else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    throw new InvalidSettingError(drf, 'unsupported', `an object value is an alarm block and needs an .ANALOG or .DIGITAL DRF, got ${describe(value)}`);
  }
  let payload: SettingPayload;
  try {
    payload = settingPayload(value as SettingValue, property);
  } catch (e) {
    throw asInvalid(drf, property === 'CONTROL' && /control command/.test(String(e)) ? 'control-command' : 'unsupported', e);
  }
  if (payload.kind === 'scaled') {
    const data = payload.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        const where = data.length === 1 && typeof value === 'number' ? '' : ` at index ${i}`;
        throw new InvalidSettingError(drf, 'not-finite', `${String(data[i])}${where} is not a finite number`);
      }
    }
  }
  return payload;
}

function asInvalid(drf: string, reason: 'alarm-block' | 'unsupported' | 'control-command', e: unknown): Error {
  if (e instanceof AcsysError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new InvalidSettingError(drf, reason, msg.startsWith(`${drf}: `) ? msg.slice(drf.length + 2) : msg);
}

function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  if (typeof v === 'symbol' || typeof v === 'function') return typeof v;
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return Object.prototype.toString.call(v);
  }
}
