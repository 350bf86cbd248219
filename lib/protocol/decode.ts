import { ProtocolError, type ProtocolErrorCategory } from './errors.js';
import type { ReplyMessage, RequestMessage } from './messages.js';
import { F, HEADER, Kind, PROTOCOL_ID, REPLY_BY_ID, REQUEST_BY_ID, type MessageDef } from './schema.js';

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A decoded message under construction: `type`, then one property per field, named as in the schema. */
type MessageObject = { type: string } & Record<string, unknown>;

/**
 * The cursor over one frame body, in the style of node-postgres's reader: the
 * input and the position live in one object whose methods read one wire item
 * each (§3) and advance. `u8` and `dv` view the *whole* underlying ArrayBuffer
 * (cached per buffer, so frames that are sub-views of one socket chunk share one
 * DataView); `pos`/`end` are absolute offsets into it and `base` is where the
 * body starts (error offsets are relative to it). Decoding is synchronous and
 * never re-entrant, so one reader serves every call.
 */
class Reader {
  u8: Uint8Array = new Uint8Array(0);
  dv: DataView = new DataView(this.u8.buffer);
  pos = 0;
  end = 0;
  base = 0;
  /** Position after the integer read by {@link Reader.peekInt}. */
  peekEnd = 0;
  private cachedBuffer: ArrayBufferLike | null = null;

  setInput(bytes: Uint8Array): void {
    const buf = bytes.buffer;
    if (buf !== this.cachedBuffer) {
      this.cachedBuffer = buf;
      this.u8 = new Uint8Array(buf);
      this.dv = new DataView(buf);
    }
    this.pos = bytes.byteOffset;
    this.base = this.pos;
    this.end = this.pos + bytes.byteLength;
  }

  fail(category: ProtocolErrorCategory, at: number, detail?: string): never {
    throw new ProtocolError(category, at - this.base, detail);
  }

  /**
   * A raw integer (§3.2) whose tag must have high nibble `k`; a wrong tag is
   * reported as `tagCategory`. Values beyond 2^53 come back rounded (callers that
   * need exactness check `Number.isSafeInteger`, which is exact on the rounded value).
   */
  int(k: number, tagCategory: ProtocolErrorCategory): number {
    const at = this.pos;
    const end = this.end;
    const b = this.u8;
    if (at >= end) this.fail('truncated', at);
    const tag = b[at]!;
    const n = tag & 15;
    if (tag >> 4 !== k || n === 0 || n > 8) this.fail(tagCategory, at, `tag 0x${tag.toString(16)}`);
    const p = at + 1;
    if (end - p < n) this.fail('truncated', end);
    const next = p + n;
    this.pos = next;
    if (n <= 4) {
      let v = (b[p]! << 24) >> 24;
      for (let i = 1; i < n; i++) v = (v << 8) | b[p + i]!;
      return v;
    }
    const q = next - 4;
    let hi = (b[p]! << 24) >> 24;
    for (let i = p + 1; i < q; i++) hi = (hi << 8) | b[i]!;
    const lo = ((b[q]! << 24) | (b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!) >>> 0;
    return hi * 4294967296 + lo;
  }

  /** A length or count (kind `k` = 3, 4 or 5): non-negative. */
  len(k: number): number {
    const at = this.pos;
    const v = this.int(k, 'bad_tag_or_length');
    if (v < 0) this.fail('bad_tag_or_length', at, 'negative length or count');
    return v;
  }

  count(): number {
    const n = this.len(5);
    // every element takes at least one byte (§3.7)
    if (n > this.end - this.pos) this.fail('truncated', this.end, 'count exceeds the bytes left');
    return n;
  }

  i16(): number {
    const at = this.pos;
    const v = this.int(1, 'bad_tag_or_length');
    if (v < -32768 || v > 32767) this.fail('value_out_of_range', at, 'int16');
    return v;
  }

  i32(): number {
    const at = this.pos;
    const v = this.int(1, 'bad_tag_or_length');
    if (v < -2147483648 || v > 2147483647) this.fail('value_out_of_range', at, 'int32');
    return v;
  }

  i64(): number {
    const at = this.pos;
    const v = this.int(1, 'bad_tag_or_length');
    if (!Number.isSafeInteger(v)) this.fail('value_out_of_range', at, 'int64 beyond the safe-integer range');
    return v;
  }

  bool(): boolean {
    const at = this.pos;
    if (at >= this.end) this.fail('truncated', at);
    const b = this.u8[at]!;
    if (b === 0x71) {
      this.pos = at + 1;
      return true;
    }
    if (b === 0x70) {
      this.pos = at + 1;
      return false;
    }
    return this.fail('bad_tag_or_length', at, 'not a boolean');
  }

  f64(): number {
    const at = this.pos;
    const end = this.end;
    if (at >= end) this.fail('truncated', at);
    if (this.u8[at] !== 0x28) this.fail('bad_tag_or_length', at, 'not a double');
    if (end - at < 9) this.fail('truncated', end);
    this.pos = at + 9;
    return this.dv.getFloat64(at + 1);
  }

  str(): string {
    const len = this.len(4);
    const p = this.pos;
    if (len > this.end - p) this.fail('truncated', this.end, 'string runs past the end');
    const e = p + len;
    this.pos = e;
    if (len === 0) return '';
    const b = this.u8;
    if (len <= 32) {
      // ASCII fast path
      let s = '';
      let i = p;
      for (; i < e; i++) {
        const c = b[i]!;
        if (c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      if (i === e) return s;
    }
    try {
      return fatalUtf8.decode(b.subarray(p, e));
    } catch {
      return this.fail('invalid_utf8', p);
    }
  }

  bin(): Uint8Array {
    const len = this.len(3);
    const p = this.pos;
    if (len > this.end - p) this.fail('truncated', this.end, 'binary runs past the end');
    this.pos = p + len;
    // A copy: decoded messages never alias the (possibly reused) input buffer.
    return this.u8.slice(p, p + len);
  }

  f64Typed(): Float64Array {
    const n = this.count();
    const out = new Float64Array(n);
    // hot loop: locals instead of fields
    const b = this.u8;
    const d = this.dv;
    const e = this.end;
    let p = this.pos;
    if (e - p >= 9 * n) {
      // all elements present: only the tags need checking
      for (let i = 0; i < n; i++) {
        if (b[p] !== 0x28) this.fail('bad_tag_or_length', p, 'not a double');
        out[i] = d.getFloat64(p + 1);
        p += 9;
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (p >= e) this.fail('truncated', p);
        if (b[p] !== 0x28) this.fail('bad_tag_or_length', p, 'not a double');
        if (e - p < 9) this.fail('truncated', e);
        out[i] = d.getFloat64(p + 1);
        p += 9;
      }
    }
    this.pos = p;
    return out;
  }

  f64Arr(): number[] {
    const n = this.count();
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.f64());
    return out;
  }

  i64Arr(): number[] {
    const n = this.count();
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.i64());
    return out;
  }

  strArr(): string[] {
    const n = this.count();
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.str());
    return out;
  }

  /**
   * An array of two-field structs (§3.8): `ref_id` (int64) and the field `other`,
   * whose value is read as `kind` and stored under `name`.
   */
  structArr(other: number, name: 'data' | 'status', kind: Kind): Record<string, unknown>[] {
    const n = this.count();
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < n; i++) {
      // struct header: count must be exactly 4
      let at = this.pos;
      const c = this.int(5, 'bad_tag_or_length');
      if (c !== 4) this.fail('wrong_field_count', at, `struct count ${c}`);
      let ref_id = 0;
      let value: unknown;
      let seen = 0;
      for (let j = 0; j < 2; j++) {
        at = this.pos;
        const id = this.int(1, 'bad_tag_or_length');
        const slot = id === F.ref_id ? 1 : id === other ? 2 : 0;
        if (slot === 0) this.fail('unknown_field_id', at, `field id ${id}`);
        if (slot & seen) this.fail('duplicate_field', at, `field id ${id}`);
        seen |= slot;
        if (slot === 1) ref_id = this.i64();
        else value = this.value(kind);
      }
      out.push({ ref_id, [name]: value });
    }
    return out;
  }

  value(kind: Kind): unknown {
    switch (kind) {
      case Kind.I16:
        return this.i16();
      case Kind.I32:
        return this.i32();
      case Kind.I64:
        return this.i64();
      case Kind.Bool:
        return this.bool();
      case Kind.F64:
        return this.f64();
      case Kind.Str:
        return this.str();
      case Kind.Bin:
        return this.bin();
      case Kind.F64Typed:
        return this.f64Typed();
      case Kind.F64Arr:
        return this.f64Arr();
      case Kind.I64Arr:
        return this.i64Arr();
      case Kind.StrArr:
        return this.strArr();
      case Kind.RawSettingArr:
        return this.structArr(F.data, 'data', Kind.Bin);
      case Kind.ScaledSettingArr:
        return this.structArr(F.data, 'data', Kind.F64Arr);
      case Kind.TextSettingArr:
        return this.structArr(F.data, 'data', Kind.StrArr);
      case Kind.SettingStatusArr:
        return this.structArr(F.status, 'status', Kind.I16);
    }
  }

  /**
   * A whole message (§4): header, message id, field count and the field pairs.
   * The message is built from the schema: `type`, then each field under its
   * schema name, in wire order; optional fields that are absent are absent.
   */
  message(table: (MessageDef | undefined)[]): MessageObject {
    let at: number;
    const b = this.u8;
    const end = this.end;
    const p0 = this.pos;
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
      this.pos = p0 + 11;
    } else {
      // 1. magic + version, byte by byte
      for (let i = 0; i < 4; i++) {
        if (this.pos >= end) this.fail('truncated', this.pos);
        if (b[this.pos] !== HEADER[i]) this.fail('bad_header', this.pos, 'bad magic or version');
        this.pos++;
      }
      // 2. header item count
      at = this.pos;
      if (this.int(5, 'bad_header') !== 3) this.fail('bad_header', at, 'header count is not 3');
      // 3. protocol id
      at = this.pos;
      if (this.int(1, 'bad_header') !== PROTOCOL_ID) this.fail('wrong_protocol_id', at);
    }
    // 4. message id
    at = this.pos;
    const mid = this.int(1, 'bad_tag_or_length');
    const def = mid >= -32768 && mid <= 32767 ? table[mid + 32768] : undefined;
    if (def === undefined) return this.fail('unknown_message_id', at, `message id ${mid}`);
    // 5. field count
    at = this.pos;
    const count = this.int(5, 'bad_tag_or_length');
    if ((count & 1) !== 0 || count < def.minCount || count > def.maxCount) {
      this.fail('wrong_field_count', at, `field count ${count} for ${def.type}`);
    }
    // 6. pairs
    const m: MessageObject = { type: def.type };
    const ids = def.fieldIds;
    const nf = ids.length;
    const fields = def.fields;
    let seen = 0;
    for (let k = count >> 1; k > 0; k--) {
      at = this.pos;
      let fid: number;
      if (b[at] === 0x12 && end - at >= 3) {
        fid = ((b[at + 1]! << 24) >> 16) | b[at + 2]!; // fast path: 2-byte field id
        this.pos = at + 3;
      } else {
        fid = this.int(1, 'bad_tag_or_length');
      }
      let idx = 0;
      while (idx < nf && ids[idx] !== fid) idx++;
      if (idx === nf) this.fail('unknown_field_id', at, `field id ${fid} in ${def.type}`);
      const field = fields[idx]!;
      const bit = 1 << idx;
      if ((seen & bit) !== 0) this.fail('duplicate_field', at, `field ${field.name}`);
      seen |= bit;
      m[field.name] = this.value(field.kind);
    }
    // 7. required fields
    if ((seen & def.requiredMask) !== def.requiredMask) this.fail('missing_field', this.pos, def.type);
    // 8. trailing bytes
    if (this.pos !== end) this.fail('trailing_bytes', this.pos, `${end - this.pos} byte(s) after the message`);
    return m;
  }

  // -------------------------------------------------------------------------
  // Fast path for the most frequent reply: a `Scalar_reply` laid out exactly as
  // DPM (and the simulator) write it — canonical header, fields in schema order.
  // Any deviation (other order, missing field, out-of-range value, truncation,
  // trailing bytes) returns `undefined` without moving `pos`, and the general
  // decoder then decodes (or rejects) the message as before.
  // -------------------------------------------------------------------------

  /** The raw integer (§3.2, kind 1) at `p`, or NaN when absent, mistagged or truncated. */
  peekInt(p: number): number {
    const end = this.end;
    if (p >= end) return NaN;
    const b = this.u8;
    const tag = b[p]!;
    const n = tag & 15;
    if (tag >> 4 !== 1 || n === 0 || n > 8 || end - p - 1 < n) return NaN;
    const q0 = p + 1;
    const next = q0 + n;
    this.peekEnd = next;
    if (n <= 4) {
      let v = (b[q0]! << 24) >> 24;
      for (let i = 1; i < n; i++) v = (v << 8) | b[q0 + i]!;
      return v;
    }
    const q = next - 4;
    let hi = (b[q0]! << 24) >> 24;
    for (let i = q0 + 1; i < q; i++) hi = (hi << 8) | b[i]!;
    const lo = ((b[q]! << 24) | (b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!) >>> 0;
    return hi * 4294967296 + lo;
  }

  /** A safe integer field `fid0 fid1` (2-byte field id) at `p`, or NaN. */
  peekIntField(p: number, fid0: number, fid1: number): number {
    const b = this.u8;
    if (this.end - p < 4 || b[p] !== 0x12 || b[p + 1] !== fid0 || b[p + 2] !== fid1) return NaN;
    const v = this.peekInt(p + 3);
    return Number.isSafeInteger(v) ? v : NaN;
  }

  fastScalarReply(): ReplyMessage | undefined {
    const b = this.u8;
    const end = this.end;
    let p = this.pos;
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
    const ref_id = this.peekIntField(p, 0x1e, 0xab); // F.ref_id 7851
    if (ref_id !== ref_id) return undefined;
    const timestamp = this.peekIntField(this.peekEnd, 0xd5, 0x5b); // F.timestamp -10917
    if (timestamp !== timestamp) return undefined;
    const cycle = this.peekIntField(this.peekEnd, 0x07, 0x40); // F.cycle 1856
    if (cycle !== cycle) return undefined;
    const status = this.peekIntField(this.peekEnd, 0x44, 0x54); // F.status 17492
    if (status !== status || status < -32768 || status > 32767) return undefined;
    p = this.peekEnd;
    // F.data 32568, a double; then nothing may follow
    if (end - p !== 12 || b[p] !== 0x12 || b[p + 1] !== 0x7f || b[p + 2] !== 0x38 || b[p + 3] !== 0x28) return undefined;
    const data = this.dv.getFloat64(p + 4);
    this.pos = end;
    return { type: 'Scalar_reply', ref_id, timestamp, cycle, status, data };
  }
}

const reader = new Reader();

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
  reader.setInput(bytes);
  return reader.message(REQUEST_BY_ID) as unknown as RequestMessage;
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
  reader.setInput(bytes);
  return reader.fastScalarReply() ?? (reader.message(REPLY_BY_ID) as unknown as ReplyMessage);
}
