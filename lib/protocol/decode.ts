import { ProtocolError, type ProtocolErrorCategory } from './errors.js';
import type {
  ReplyMessage,
  RequestMessage,
  RawSetting,
  ScaledSetting,
  SettingStatus,
  TextSetting,
} from './messages.js';
import { F, HEADER, Kind, PROTOCOL_ID, REPLY_BY_ID, REQUEST_BY_ID, type MessageDef } from './schema.js';

// ---------------------------------------------------------------------------
// Decoder state. Decoding is synchronous and never re-entrant, so one set of
// module-level cursor variables serves every call: no per-call reader object,
// no closures. `u8` and `dv` view the *whole* underlying ArrayBuffer (cached per
// buffer, so frames that are sub-views of one socket chunk share one DataView);
// `pos`/`end` are absolute offsets into it and `base` is where the body starts.
// ---------------------------------------------------------------------------

let u8: Uint8Array = new Uint8Array(0);
let dv: DataView = new DataView(u8.buffer);
let pos = 0;
let end = 0;
let base = 0;
let cachedBuffer: ArrayBufferLike | null = null;

/** Values of the message being decoded, indexed by field position in the schema. */
const V: unknown[] = new Array<unknown>(16).fill(undefined);

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function fail(category: ProtocolErrorCategory, at: number, detail?: string): never {
  throw new ProtocolError(category, at - base, detail);
}

function setInput(bytes: Uint8Array): void {
  const buf = bytes.buffer;
  if (buf !== cachedBuffer) {
    cachedBuffer = buf;
    u8 = new Uint8Array(buf);
    dv = new DataView(buf);
  }
  pos = bytes.byteOffset;
  base = pos;
  end = pos + bytes.byteLength;
}

/**
 * Reads a raw integer (§3.2) whose tag must have high nibble `k`; a wrong tag is
 * reported as `tagCategory`. Values beyond 2^53 come back rounded (callers that
 * need exactness check `Number.isSafeInteger`, which is exact on the rounded value).
 */
function readInt(k: number, tagCategory: ProtocolErrorCategory): number {
  const at = pos;
  if (at >= end) fail('truncated', at);
  const tag = u8[at]!;
  const n = tag & 15;
  if (tag >> 4 !== k || n === 0 || n > 8) fail(tagCategory, at, `tag 0x${tag.toString(16)}`);
  const p = at + 1;
  if (end - p < n) fail('truncated', end);
  pos = p + n;
  if (n <= 4) {
    let v = (u8[p]! << 24) >> 24;
    for (let i = 1; i < n; i++) v = (v << 8) | u8[p + i]!;
    return v;
  }
  const q = pos - 4;
  let hi = (u8[p]! << 24) >> 24;
  for (let i = p + 1; i < q; i++) hi = (hi << 8) | u8[i]!;
  const lo = ((u8[q]! << 24) | (u8[q + 1]! << 16) | (u8[q + 2]! << 8) | u8[q + 3]!) >>> 0;
  return hi * 4294967296 + lo;
}

/** A length or count (kind `k` = 3, 4 or 5): non-negative, and at most `unit`×(bytes left)… checked by caller. */
function readLen(k: number): number {
  const at = pos;
  const v = readInt(k, 'bad_tag_or_length');
  if (v < 0) fail('bad_tag_or_length', at, 'negative length or count');
  return v;
}

function readCount(): number {
  const n = readLen(5);
  // every element takes at least one byte (§3.7)
  if (n > end - pos) fail('truncated', end, 'count exceeds the bytes left');
  return n;
}

function readI16(): number {
  const at = pos;
  const v = readInt(1, 'bad_tag_or_length');
  if (v < -32768 || v > 32767) fail('value_out_of_range', at, 'int16');
  return v;
}

function readI32(): number {
  const at = pos;
  const v = readInt(1, 'bad_tag_or_length');
  if (v < -2147483648 || v > 2147483647) fail('value_out_of_range', at, 'int32');
  return v;
}

function readI64(): number {
  const at = pos;
  const v = readInt(1, 'bad_tag_or_length');
  if (!Number.isSafeInteger(v)) fail('value_out_of_range', at, 'int64 beyond the safe-integer range');
  return v;
}

function readBool(): boolean {
  if (pos >= end) fail('truncated', pos);
  const b = u8[pos]!;
  if (b === 0x71) {
    pos++;
    return true;
  }
  if (b === 0x70) {
    pos++;
    return false;
  }
  return fail('bad_tag_or_length', pos, 'not a boolean');
}

function readF64(): number {
  const at = pos;
  if (at >= end) fail('truncated', at);
  if (u8[at] !== 0x28) fail('bad_tag_or_length', at, 'not a double');
  if (end - at < 9) fail('truncated', end);
  pos = at + 9;
  return dv.getFloat64(at + 1);
}

function readStr(): string {
  const len = readLen(4);
  const p = pos;
  if (len > end - p) fail('truncated', end, 'string runs past the end');
  pos = p + len;
  if (len === 0) return '';
  if (len <= 32) {
    // ASCII fast path
    let s = '';
    let i = p;
    const e = pos;
    for (; i < e; i++) {
      const c = u8[i]!;
      if (c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    if (i === e) return s;
  }
  try {
    return fatalUtf8.decode(u8.subarray(p, pos));
  } catch {
    return fail('invalid_utf8', p);
  }
}

function readBin(): Uint8Array {
  const len = readLen(3);
  const p = pos;
  if (len > end - p) fail('truncated', end, 'binary runs past the end');
  pos = p + len;
  // A copy: decoded messages never alias the (possibly reused) input buffer.
  return u8.slice(p, pos);
}

function readF64Typed(): Float64Array {
  const n = readCount();
  const out = new Float64Array(n);
  // hot loop: locals instead of module-level state
  const b = u8;
  const d = dv;
  const e = end;
  let p = pos;
  if (e - p >= 9 * n) {
    // all elements present: only the tags need checking
    for (let i = 0; i < n; i++) {
      if (b[p] !== 0x28) fail('bad_tag_or_length', p, 'not a double');
      out[i] = d.getFloat64(p + 1);
      p += 9;
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (p >= e) fail('truncated', p);
      if (b[p] !== 0x28) fail('bad_tag_or_length', p, 'not a double');
      if (e - p < 9) fail('truncated', e);
      out[i] = d.getFloat64(p + 1);
      p += 9;
    }
  }
  pos = p;
  return out;
}

function readF64Arr(): number[] {
  const n = readCount();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(readF64());
  return out;
}

function readI64Arr(): number[] {
  const n = readCount();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(readI64());
  return out;
}

function readStrArr(): string[] {
  const n = readCount();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(readStr());
  return out;
}

/** Struct header (§3.8): count must be exactly 4. */
function readStructCount(): void {
  const at = pos;
  const c = readInt(5, 'bad_tag_or_length');
  if (c !== 4) fail('wrong_field_count', at, `struct count ${c}`);
}

/** Reads a struct field id, which must be `ref_id` (→ 0) or `other` (→ 1), not `seen` before. */
function readStructFieldId(other: number, seen: number): number {
  const at = pos;
  const id = readInt(1, 'bad_tag_or_length');
  const slot = id === F.ref_id ? 1 : id === other ? 2 : 0;
  if (slot === 0) fail('unknown_field_id', at, `field id ${id}`);
  if (slot & seen) fail('duplicate_field', at, `field id ${id}`);
  return slot;
}

function readSettingStatusArr(): SettingStatus[] {
  const n = readCount();
  const out: SettingStatus[] = [];
  for (let i = 0; i < n; i++) {
    readStructCount();
    let ref_id = 0;
    let status = 0;
    let seen = 0;
    for (let j = 0; j < 2; j++) {
      const s = readStructFieldId(F.status, seen);
      seen |= s;
      if (s === 1) ref_id = readI64();
      else status = readI16();
    }
    out.push({ ref_id, status });
  }
  return out;
}

/** An array of setting structs `{ref_id, data}` whose `data` is read by `readData`. */
function readSettingArr<D>(readData: () => D): Array<{ ref_id: number; data: D }> {
  const n = readCount();
  const out: Array<{ ref_id: number; data: D }> = [];
  for (let i = 0; i < n; i++) {
    readStructCount();
    let ref_id = 0;
    let data: D | undefined;
    let seen = 0;
    for (let j = 0; j < 2; j++) {
      const s = readStructFieldId(F.data, seen);
      seen |= s;
      if (s === 1) ref_id = readI64();
      else data = readData();
    }
    out.push({ ref_id, data: data! });
  }
  return out;
}

function readRawSettingArr(): RawSetting[] {
  return readSettingArr(readBin);
}

function readScaledSettingArr(): ScaledSetting[] {
  return readSettingArr(readF64Arr);
}

function readTextSettingArr(): TextSetting[] {
  return readSettingArr(readStrArr);
}

function readValue(kind: Kind): unknown {
  switch (kind) {
    case Kind.I16:
      return readI16();
    case Kind.I32:
      return readI32();
    case Kind.I64:
      return readI64();
    case Kind.Bool:
      return readBool();
    case Kind.F64:
      return readF64();
    case Kind.Str:
      return readStr();
    case Kind.Bin:
      return readBin();
    case Kind.F64Typed:
      return readF64Typed();
    case Kind.F64Arr:
      return readF64Arr();
    case Kind.I64Arr:
      return readI64Arr();
    case Kind.StrArr:
      return readStrArr();
    case Kind.RawSettingArr:
      return readRawSettingArr();
    case Kind.ScaledSettingArr:
      return readScaledSettingArr();
    case Kind.TextSettingArr:
      return readTextSettingArr();
    case Kind.SettingStatusArr:
      return readSettingStatusArr();
  }
}

/** Header, message id, field count and the field pairs; returns the definition and the seen mask (values in V). */
function readMessage(table: (MessageDef | undefined)[]): MessageDef {
  let at: number;
  const b = u8;
  const p0 = pos;
  if (
    end - p0 >= 11 &&
    b[p0] === 0x53 &&
    b[p0 + 1] === 0x44 &&
    b[p0 + 2] === 0x44 &&
    b[p0 + 3] === 0x02 &&
    b[p0 + 4] === 0x51 &&
    b[p0 + 5] === 0x03 &&
    b[p0 + 6] === 0x14 &&
    b[p0 + 7] === 0xb1 &&
    b[p0 + 8] === 0x3a &&
    b[p0 + 9] === 0x70 &&
    b[p0 + 10] === 0x3a
  ) {
    // canonical header (what every real peer sends)
    pos = p0 + 11;
  } else {
    // 1. magic + version, byte by byte
    for (let i = 0; i < 4; i++) {
      if (pos >= end) fail('truncated', pos);
      if (b[pos] !== HEADER[i]) fail('bad_header', pos, 'bad magic or version');
      pos++;
    }
    // 2. header item count
    at = pos;
    if (readInt(5, 'bad_header') !== 3) fail('bad_header', at, 'header count is not 3');
    // 3. protocol id
    at = pos;
    if (readInt(1, 'bad_header') !== PROTOCOL_ID) fail('wrong_protocol_id', at);
  }
  // 4. message id
  at = pos;
  const mid = readInt(1, 'bad_tag_or_length');
  const def = mid >= -32768 && mid <= 32767 ? table[mid + 32768] : undefined;
  if (def === undefined) fail('unknown_message_id', at, `message id ${mid}`);
  // 5. field count
  at = pos;
  const count = readInt(5, 'bad_tag_or_length');
  if ((count & 1) !== 0 || count < def.minCount || count > def.maxCount) {
    fail('wrong_field_count', at, `field count ${count} for ${def.type}`);
  }
  // 6. pairs
  const ids = def.fieldIds;
  const nf = ids.length;
  const fields = def.fields;
  let seen = 0;
  for (let k = count >> 1; k > 0; k--) {
    at = pos;
    let fid: number;
    if (b[at] === 0x12 && end - at >= 3) {
      fid = ((b[at + 1]! << 24) >> 16) | b[at + 2]!; // fast path: 2-byte field id
      pos = at + 3;
    } else {
      fid = readInt(1, 'bad_tag_or_length');
    }
    let idx = 0;
    while (idx < nf && ids[idx] !== fid) idx++;
    if (idx === nf) fail('unknown_field_id', at, `field id ${fid} in ${def.type}`);
    const bit = 1 << idx;
    if ((seen & bit) !== 0) fail('duplicate_field', at, `field ${fields[idx]!.name}`);
    seen |= bit;
    V[idx] = readValue(fields[idx]!.kind);
  }
  // 7. required fields
  if ((seen & def.requiredMask) !== def.requiredMask) fail('missing_field', pos, def.type);
  // 8. trailing bytes
  if (pos !== end) fail('trailing_bytes', pos, `${end - pos} byte(s) after the message`);
  seenMask = seen;
  return def;
}

let seenMask = 0;

function buildRequest(def: MessageDef): RequestMessage {
  const s = seenMask;
  switch (def.id) {
    case -8230:
      return { type: 'ServiceDiscovery_request' };
    case 2076:
      return s & 1 ? { type: 'OpenList_request', location: V[0] as string } : { type: 'OpenList_request' };
    case 97:
      return { type: 'AddToList_request', list_id: V[0] as number, ref_id: V[1] as number, drf_request: V[2] as string };
    case -15277:
      return { type: 'Authenticate_request', list_id: V[0] as number, token: V[1] as Uint8Array };
    case 21346:
      return {
        type: 'EnableSettings_request',
        list_id: V[0] as number,
        MIC: V[1] as Uint8Array,
        message: V[2] as Uint8Array,
      };
    case -3807:
      return { type: 'RemoveFromList_request', list_id: V[0] as number, ref_id: V[1] as number };
    case -8779:
      return s & 2
        ? { type: 'StartList_request', list_id: V[0] as number, model: V[1] as string }
        : { type: 'StartList_request', list_id: V[0] as number };
    case -15607:
      return { type: 'ClearList_request', list_id: V[0] as number };
    case 21417:
      return { type: 'StopList_request', list_id: V[0] as number };
    default: {
      // -14728 ApplySettings_request
      const m: RequestMessage = { type: 'ApplySettings_request', user_name: V[0] as string, list_id: V[1] as number };
      if (s & 4) m.raw_array = V[2] as RawSetting[];
      if (s & 8) m.scaled_array = V[3] as ScaledSetting[];
      if (s & 16) m.text_array = V[4] as TextSetting[];
      return m;
    }
  }
}

function buildReply(def: MessageDef): ReplyMessage {
  const s = seenMask;
  switch (def.id) {
    case -10581:
      return {
        type: 'Scalar_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
        status: V[3] as number,
        data: V[4] as number,
      };
    case 23036:
      return {
        type: 'ScalarArray_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
        status: V[3] as number,
        data: V[4] as Float64Array,
      };
    case -10579:
      return {
        type: 'Status_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
        status: V[3] as number,
      };
    case -12450:
      return {
        type: 'Raw_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
        status: V[3] as number,
        data: V[4] as Uint8Array,
      };
    case -28878:
      return {
        type: 'Text_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
        status: V[3] as number,
        data: V[4] as string,
      };
    case 12923:
      return {
        type: 'TextArray_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
        status: V[3] as number,
        data: V[4] as string[],
      };
    case 31282:
      return {
        type: 'TimedScalarArray_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
        status: V[3] as number,
        data: V[4] as Float64Array,
        micros: V[5] as number[],
      };
    case 29552:
      return { type: 'ListStatus_reply', list_id: V[0] as number, status: V[1] as number };
    case -12930:
      return { type: 'ServiceDiscovery_reply', load: V[0] as number, serviceLocation: V[1] as string };
    case 13470:
      return { type: 'OpenList_reply', list_id: V[0] as number };
    case -29780:
      return { type: 'AddToList_reply', list_id: V[0] as number, ref_id: V[1] as number, status: V[2] as number };
    case -3046:
      return {
        type: 'RemoveFromList_reply',
        list_id: V[0] as number,
        ref_id: V[1] as number,
        status: V[2] as number,
      };
    case -27136:
      return { type: 'StartList_reply', list_id: V[0] as number, status: V[1] as number };
    case 28653: {
      const m: ReplyMessage = {
        type: 'DeviceInfo_reply',
        ref_id: V[0] as number,
        di: V[1] as number,
        name: V[2] as string,
        description: V[3] as string,
      };
      if (s & 16) m.units = V[4] as string;
      if (s & 32) m.format_hint = V[5] as number;
      return m;
    }
    case 30088:
      return {
        type: 'AnalogAlarm_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
        minimum: V[3] as number,
        maximum: V[4] as number,
        alarm_enable: V[5] as boolean,
        alarm_status: V[6] as boolean,
        abort: V[7] as boolean,
        abort_inhibit: V[8] as boolean,
        tries_needed: V[9] as number,
        tries_now: V[10] as number,
      };
    case -14437:
      return {
        type: 'DigitalAlarm_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
        nominal: V[3] as number,
        mask: V[4] as number,
        alarm_enable: V[5] as boolean,
        alarm_status: V[6] as boolean,
        abort: V[7] as boolean,
        abort_inhibit: V[8] as boolean,
        tries_needed: V[9] as number,
        tries_now: V[10] as number,
      };
    case -3335: {
      const m: ReplyMessage = {
        type: 'BasicStatus_reply',
        ref_id: V[0] as number,
        timestamp: V[1] as number,
        cycle: V[2] as number,
      };
      if (s & 8) m.on = V[3] as boolean;
      if (s & 16) m.ready = V[4] as boolean;
      if (s & 32) m.remote = V[5] as boolean;
      if (s & 64) m.positive = V[6] as boolean;
      if (s & 128) m.ramp = V[7] as boolean;
      return m;
    }
    case 17344:
      return { type: 'ApplySettings_reply', status: V[0] as SettingStatus[] };
    default: {
      // 7286 Authenticate_reply
      const m: ReplyMessage = { type: 'Authenticate_reply' };
      if (s & 1) m.serviceName = V[0] as string;
      if (s & 2) m.token = V[1] as Uint8Array;
      return m;
    }
  }
}

// ---------------------------------------------------------------------------
// Fast path for the most frequent reply: a `Scalar_reply` laid out exactly as DPM
// (and the simulator) write it — canonical header, fields in schema order. Any
// deviation (other order, missing field, out-of-range value, truncation, trailing
// bytes) returns `undefined` without moving `pos`, and the general decoder then
// decodes (or rejects) the message as before.
// ---------------------------------------------------------------------------

/** Position after the integer read by {@link peekInt}. */
let peekEnd = 0;

/** The raw integer (§3.2, kind 1) at `p`, or NaN when absent, mistagged or truncated. */
function peekInt(p: number): number {
  if (p >= end) return NaN;
  const b = u8;
  const tag = b[p]!;
  const n = tag & 15;
  if (tag >> 4 !== 1 || n === 0 || n > 8 || end - p - 1 < n) return NaN;
  const q0 = p + 1;
  peekEnd = q0 + n;
  if (n <= 4) {
    let v = (b[q0]! << 24) >> 24;
    for (let i = 1; i < n; i++) v = (v << 8) | b[q0 + i]!;
    return v;
  }
  const q = peekEnd - 4;
  let hi = (b[q0]! << 24) >> 24;
  for (let i = q0 + 1; i < q; i++) hi = (hi << 8) | b[i]!;
  const lo = ((b[q]! << 24) | (b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!) >>> 0;
  return hi * 4294967296 + lo;
}

/** A safe integer field `fid0 fid1` (2-byte field id) at `p`, or NaN. */
function peekIntField(p: number, fid0: number, fid1: number): number {
  const b = u8;
  if (end - p < 4 || b[p] !== 0x12 || b[p + 1] !== fid0 || b[p + 2] !== fid1) return NaN;
  const v = peekInt(p + 3);
  return Number.isSafeInteger(v) ? v : NaN;
}

function fastScalarReply(): ReplyMessage | undefined {
  const b = u8;
  let p = pos;
  // header (11) + message id -10581 (3) + field count 10 (2)
  if (
    end - p < 16 ||
    b[p] !== 0x53 ||
    b[p + 1] !== 0x44 ||
    b[p + 2] !== 0x44 ||
    b[p + 3] !== 0x02 ||
    b[p + 4] !== 0x51 ||
    b[p + 5] !== 0x03 ||
    b[p + 6] !== 0x14 ||
    b[p + 7] !== 0xb1 ||
    b[p + 8] !== 0x3a ||
    b[p + 9] !== 0x70 ||
    b[p + 10] !== 0x3a ||
    b[p + 11] !== 0x12 ||
    b[p + 12] !== 0xd6 ||
    b[p + 13] !== 0xab ||
    b[p + 14] !== 0x51 ||
    b[p + 15] !== 0x0a
  ) {
    return undefined;
  }
  p += 16;
  const ref_id = peekIntField(p, 0x1e, 0xab); // F.ref_id 7851
  if (ref_id !== ref_id) return undefined;
  const timestamp = peekIntField(peekEnd, 0xd5, 0x5b); // F.timestamp -10917
  if (timestamp !== timestamp) return undefined;
  const cycle = peekIntField(peekEnd, 0x07, 0x40); // F.cycle 1856
  if (cycle !== cycle) return undefined;
  const status = peekIntField(peekEnd, 0x44, 0x54); // F.status 17492
  if (status !== status || status < -32768 || status > 32767) return undefined;
  p = peekEnd;
  // F.data 32568, a double; then nothing may follow
  if (end - p !== 12 || b[p] !== 0x12 || b[p + 1] !== 0x7f || b[p + 2] !== 0x38 || b[p + 3] !== 0x28) return undefined;
  const data = dv.getFloat64(p + 4);
  pos = end;
  return { type: 'Scalar_reply', ref_id, timestamp, cycle, status, data };
}

function clearValues(n: number): void {
  // drop references to decoded values so they can be collected
  for (let i = 0; i < n; i++) V[i] = undefined;
}

/**
 * Decodes one request frame body (client → DPM), without the length prefix.
 * Fields may come in any order and integers in non-minimal form (§3.2, §4.3).
 *
 * @throws {ProtocolError} with the §7.1 category and the body offset of the fault.
 * @example
 * ```ts
 * const msg = decodeRequest(body);
 * if (msg.type === 'AddToList_request') console.log(msg.ref_id, msg.drf_request);
 * ```
 */
export function decodeRequest(bytes: Uint8Array): RequestMessage {
  setInput(bytes);
  // (after a decode error V may keep the partial values until the next call)
  const def = readMessage(REQUEST_BY_ID);
  const m = buildRequest(def);
  clearValues(def.fields.length);
  return m;
}

/**
 * Decodes one reply frame body (DPM → client), without the length prefix.
 * `ScalarArray_reply`/`TimedScalarArray_reply` `data` is a fresh `Float64Array`;
 * binaries are fresh copies (the result never aliases `bytes`).
 *
 * @throws {ProtocolError} with the §7.1 category and the body offset of the fault.
 * @example
 * ```ts
 * const msg = decodeReply(body);
 * if (msg.type === 'Scalar_reply') console.log(msg.ref_id, msg.data);
 * ```
 */
export function decodeReply(bytes: Uint8Array): ReplyMessage {
  setInput(bytes);
  const fast = fastScalarReply();
  if (fast !== undefined) return fast;
  const def = readMessage(REPLY_BY_ID);
  const m = buildReply(def);
  clearValues(def.fields.length);
  return m;
}
