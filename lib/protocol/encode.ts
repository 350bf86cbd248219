import { EncodeError } from './errors.js';
import type { EncodableReply, EncodableRequest } from './messages.js';
import { Kind, REPLY_BY_TYPE, REQUEST_BY_TYPE, type MessageDef } from './schema.js';

// ---------------------------------------------------------------------------
// Two-pass encoder: a sizing pass validates every value (so nothing is written
// when an EncodeError is thrown) and computes the exact size; the writing pass
// fills a buffer allocated once at its final size (frame prefix included).
// ---------------------------------------------------------------------------

type Obj = Record<string, unknown>;

const utf8 = new TextEncoder();
const scratch = new Float64Array(1);
const scratchBytes = new Uint8Array(scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

let out: Uint8Array = new Uint8Array(0);
let pos = 0;

function bad(path: string, detail: string): never {
  throw new EncodeError(path, detail);
}

/** Bytes of the minimal two's-complement form of a safe integer (1..7). */
function intBytes(v: number): number {
  if (v >= -128 && v <= 127) return 1;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -8388608 && v <= 8388607) return 3;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  if (v >= -549755813888 && v <= 549755813887) return 5;
  if (v >= -140737488355328 && v <= 140737488355327) return 6;
  return 7;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function bigBytes(v: bigint): number {
  if (v >= -(2n ** 55n) && v < 2n ** 55n) return 7;
  return 8;
}

/** Writes raw integer `v` (a safe integer) with kind nibble `k`. */
function writeInt(k: number, v: number): void {
  const n = intBytes(v);
  const o = out;
  let p = pos;
  o[p++] = (k << 4) | n;
  if (n <= 4) {
    for (let s = (n - 1) * 8; s >= 0; s -= 8) o[p++] = v >> s;
  } else {
    const hi = Math.floor(v / 4294967296);
    const lo = v - hi * 4294967296;
    for (let s = (n - 5) * 8; s >= 0; s -= 8) o[p++] = hi >> s;
    o[p++] = lo >>> 24;
    o[p++] = lo >>> 16;
    o[p++] = lo >>> 8;
    o[p++] = lo;
  }
  pos = p;
}

function writeBigInt(k: number, v: bigint): void {
  if (v >= -9007199254740991n && v <= 9007199254740991n) {
    writeInt(k, Number(v));
    return;
  }
  const n = bigBytes(v);
  out[pos++] = (k << 4) | n;
  let x = BigInt.asUintN(64, v);
  for (let i = n - 1; i >= 0; i--) {
    out[pos + i] = Number(x & 0xffn);
    x >>= 8n;
  }
  pos += n;
}

function writeF64(v: number): void {
  const o = out;
  let p = pos;
  o[p++] = 0x28;
  if (v !== v) {
    o[p++] = 0x7f;
    o[p++] = 0xf8;
    for (let i = 0; i < 6; i++) o[p++] = 0;
  } else {
    scratch[0] = v;
    const b = scratchBytes;
    if (LITTLE_ENDIAN) {
      o[p++] = b[7]!;
      o[p++] = b[6]!;
      o[p++] = b[5]!;
      o[p++] = b[4]!;
      o[p++] = b[3]!;
      o[p++] = b[2]!;
      o[p++] = b[1]!;
      o[p++] = b[0]!;
    } else {
      for (let i = 0; i < 8; i++) o[p++] = b[i]!;
    }
  }
  pos = p;
}

/** UTF-8 byte length of `s`; a lone surrogate is an EncodeError. */
function utf8Length(s: string, path: string): number {
  const n = s.length;
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) len += 1;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) bad(path, 'string holds a lone surrogate');
      len += 2; // 4 bytes for 2 code units
      i++;
    } else len += 2;
  }
  return len;
}

function writeStr(s: string, byteLen: number): void {
  writeInt(4, byteLen);
  const o = out;
  let p = pos;
  if (byteLen === s.length) {
    for (let i = 0; i < byteLen; i++) o[p++] = s.charCodeAt(i);
  } else {
    utf8.encodeInto(s, o.subarray(p, p + byteLen));
    p += byteLen;
  }
  pos = p;
}

function writeBin(b: Uint8Array): void {
  writeInt(3, b.length);
  out.set(b, pos);
  pos += b.length;
}

// -------------------------------- validation + sizing --------------------------------

function sizeI(v: unknown, min: number, max: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    bad(path, `expected an integer in ${min}..${max}, got ${String(v)}`);
  }
  return 1 + intBytes(v);
}

function sizeI64(v: unknown, path: string): number {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) bad(path, `int64 given as number must be a safe integer, got ${v}`);
    return 1 + intBytes(v);
  }
  if (typeof v === 'bigint') {
    if (v < I64_MIN || v > I64_MAX) bad(path, `bigint outside the int64 range: ${v}`);
    if (v >= -9007199254740991n && v <= 9007199254740991n) return 1 + intBytes(Number(v));
    return 1 + bigBytes(v);
  }
  return bad(path, `expected an int64 (number or bigint), got ${typeof v}`);
}

function sizeF64(v: unknown, path: string): number {
  if (typeof v !== 'number') bad(path, `expected a number, got ${typeof v}`);
  return 9;
}

function sizeStr(v: unknown, path: string): number {
  if (typeof v !== 'string') bad(path, `expected a string, got ${typeof v}`);
  const n = utf8Length(v, path);
  return 1 + intBytes(n) + n;
}

function sizeBin(v: unknown, path: string): number {
  if (!(v instanceof Uint8Array)) bad(path, 'expected a Uint8Array');
  return 1 + intBytes(v.length) + v.length;
}

function arrayLike(v: unknown, path: string): ArrayLike<unknown> {
  if (v === null || typeof v !== 'object' || typeof (v as { length?: unknown }).length !== 'number') {
    bad(path, 'expected an array');
  }
  return v as ArrayLike<unknown>;
}

function sizeArrayOf(v: unknown, path: string, each: (x: unknown, path: string) => number): number {
  const a = arrayLike(v, path);
  const n = a.length;
  let size = 1 + intBytes(n);
  for (let i = 0; i < n; i++) size += each(a[i], `${path}[${i}]`);
  return size;
}

function sizeF64s(v: unknown, path: string): number {
  const a = arrayLike(v, path);
  const n = a.length;
  for (let i = 0; i < n; i++) if (typeof a[i] !== 'number') bad(`${path}[${i}]`, 'expected a number');
  return 1 + intBytes(n) + 9 * n;
}

function structObj(v: unknown, path: string): Obj {
  if (v === null || typeof v !== 'object') bad(path, 'expected a struct object');
  return v as Obj;
}

function sizeStruct(v: unknown, path: string, kind: Kind): number {
  const o = structObj(v, path);
  if (o.ref_id === undefined) bad(`${path}.ref_id`, 'required field is missing');
  const field = kind === Kind.SettingStatusArr ? 'status' : 'data';
  const x = o[field];
  if (x === undefined) bad(`${path}.${field}`, 'required field is missing');
  let size = 2 + 6 + sizeI64(o.ref_id, `${path}.ref_id`);
  const p = `${path}.${field}`;
  switch (kind) {
    case Kind.SettingStatusArr:
      size += sizeI(x, -32768, 32767, p);
      break;
    case Kind.RawSettingArr:
      size += sizeBin(x, p);
      break;
    case Kind.ScaledSettingArr:
      size += sizeF64s(x, p);
      break;
    default:
      size += sizeArrayOf(x, p, sizeStr);
  }
  return size;
}

function sizeValue(kind: Kind, v: unknown, path: string): number {
  switch (kind) {
    case Kind.I16:
      return sizeI(v, -32768, 32767, path);
    case Kind.I32:
      return sizeI(v, -2147483648, 2147483647, path);
    case Kind.I64:
      return sizeI64(v, path);
    case Kind.Bool:
      if (typeof v !== 'boolean') bad(path, `expected a boolean, got ${typeof v}`);
      return 1;
    case Kind.F64:
      return sizeF64(v, path);
    case Kind.Str:
      return sizeStr(v, path);
    case Kind.Bin:
      return sizeBin(v, path);
    case Kind.F64Typed:
    case Kind.F64Arr:
      return sizeF64s(v, path);
    case Kind.I64Arr:
      return sizeArrayOf(v, path, sizeI64);
    case Kind.StrArr:
      return sizeArrayOf(v, path, sizeStr);
    default:
      return sizeArrayOf(v, path, (x, p) => sizeStruct(x, p, kind));
  }
}

// -------------------------------- writing --------------------------------

function writeI64(v: unknown): void {
  if (typeof v === 'number') writeInt(1, v);
  else writeBigInt(1, v as bigint);
}

function writeStruct(kind: Kind, o: Obj): void {
  out[pos++] = 0x51;
  out[pos++] = 0x04;
  out[pos++] = 0x12;
  out[pos++] = 0x1e;
  out[pos++] = 0xab; // ref_id 7851
  writeI64(o.ref_id);
  if (kind === Kind.SettingStatusArr) {
    out[pos++] = 0x12;
    out[pos++] = 0x44;
    out[pos++] = 0x54; // status 17492
    writeInt(1, o.status as number);
  } else {
    out[pos++] = 0x12;
    out[pos++] = 0x7f;
    out[pos++] = 0x38; // data 32568
    writeValue(
      kind === Kind.RawSettingArr ? Kind.Bin : kind === Kind.ScaledSettingArr ? Kind.F64Arr : Kind.StrArr,
      o.data,
    );
  }
}

function writeValue(kind: Kind, v: unknown): void {
  switch (kind) {
    case Kind.I16:
    case Kind.I32:
      writeInt(1, v as number);
      return;
    case Kind.I64:
      writeI64(v);
      return;
    case Kind.Bool:
      out[pos++] = v ? 0x71 : 0x70;
      return;
    case Kind.F64:
      writeF64(v as number);
      return;
    case Kind.Str: {
      const s = v as string;
      writeStr(s, utf8Length(s, ''));
      return;
    }
    case Kind.Bin:
      writeBin(v as Uint8Array);
      return;
    case Kind.F64Typed:
    case Kind.F64Arr: {
      const a = v as ArrayLike<number>;
      const n = a.length;
      writeInt(5, n);
      for (let i = 0; i < n; i++) writeF64(a[i]!);
      return;
    }
    case Kind.I64Arr: {
      const a = v as ArrayLike<unknown>;
      const n = a.length;
      writeInt(5, n);
      for (let i = 0; i < n; i++) writeI64(a[i]);
      return;
    }
    case Kind.StrArr: {
      const a = v as ArrayLike<string>;
      const n = a.length;
      writeInt(5, n);
      for (let i = 0; i < n; i++) writeStr(a[i]!, utf8Length(a[i]!, ''));
      return;
    }
    default: {
      const a = v as ArrayLike<Obj>;
      const n = a.length;
      writeInt(5, n);
      for (let i = 0; i < n; i++) writeStruct(kind, a[i]!);
    }
  }
}

/**
 * A message type's encoder, generated from its schema entry by `compileEncoder`: a sizing
 * pass that validates every field (so nothing is written when an `EncodeError` is thrown) and
 * returns the body size, and a writing pass.
 */
interface MessageEncoder {
  readonly def: MessageDef;
  /** Validates and returns the body size. */
  readonly size: (msg: Obj) => number;
  /** Writes the body at `pos` in `out`. */
  readonly write: (msg: Obj) => void;
}

/** The writers the compiled encoders call (module state: `out`, `pos`). */
const W = {
  raw(b: Uint8Array): void {
    const o = out;
    let p = pos;
    for (let i = 0; i < b.length; i++) o[p++] = b[i]!;
    pos = p;
  },
  int: writeInt,
  i64: writeI64,
  bool(v: unknown): void {
    out[pos++] = v ? 0x71 : 0x70;
  },
  f64: writeF64,
  str(s: string): void {
    writeStr(s, utf8Length(s, ''));
  },
  value: writeValue,
};

/** The sizers the compiled encoders call. */
const S = {
  bad,
  intBytes,
  i: sizeI,
  i64: sizeI64,
  f64: sizeF64,
  str: sizeStr,
  value: sizeValue,
};

/**
 * Builds `def`'s encoder: one statement per field, in schema order, with the field's name as a
 * literal property, so that V8 caches each load for the message's shape (a loop over the
 * fields with `msg[name]` made every load megamorphic: 2–3× slower). The source is generated
 * from the static schema, never from input. Required fields missing, values of the wrong type
 * or range: `EncodeError` naming `Type.field`.
 */
function compileEncoder(def: MessageDef): MessageEncoder {
  const sizeLines: string[] = ['let s = ' + String(def.head.length) + ', c = 0, v;'];
  const countLines: string[] = ['let c = 0, v;'];
  const writeLines: string[] = [];
  def.fields.forEach((f, i) => {
    const key = JSON.stringify(f.name);
    const path = `P[${i}]`;
    let sizeExpr: string;
    let writeStmt: string;
    switch (f.kind) {
      case Kind.I16:
        sizeExpr = `S.i(v, -32768, 32767, ${path})`;
        writeStmt = 'W.int(1, v);';
        break;
      case Kind.I32:
        sizeExpr = `S.i(v, -2147483648, 2147483647, ${path})`;
        writeStmt = 'W.int(1, v);';
        break;
      case Kind.I64:
        sizeExpr = `S.i64(v, ${path})`;
        writeStmt = 'W.i64(v);';
        break;
      case Kind.F64:
        sizeExpr = `S.f64(v, ${path})`;
        writeStmt = 'W.f64(v);';
        break;
      case Kind.Str:
        sizeExpr = `S.str(v, ${path})`;
        writeStmt = 'W.str(v);';
        break;
      case Kind.Bool:
        sizeExpr = `(typeof v === 'boolean' ? 1 : S.value(${f.kind}, v, ${path}))`;
        writeStmt = 'W.bool(v);';
        break;
      default:
        sizeExpr = `S.value(${f.kind}, v, ${path})`;
        writeStmt = `W.value(${f.kind}, v);`;
    }
    const missing = f.required ? `S.bad(${path}, 'required field is missing');` : '';
    sizeLines.push(`v = m[${key}]; if (v === undefined) { ${missing} } else { c++; s += ${f.idBytes.length} + ${sizeExpr}; }`);
    countLines.push(`if (m[${key}] !== undefined) c++;`);
    writeLines.push(`v = m[${key}]; if (v !== undefined) { W.raw(ID[${i}]); ${writeStmt} }`);
  });
  sizeLines.push('return s + 1 + S.intBytes(c * 2);');
  const paths = def.fields.map((f) => `${def.type}.${f.name}`);
  const ids = def.fields.map((f) => f.idBytes);
  const make = (body: string): ((m: Obj) => unknown) =>
    // generated from the static schema above, never from input
    (new Function('S', 'W', 'P', 'ID', 'HEAD', `return function (m) {\n${body}\n};`) as (
      s: typeof S,
      w: typeof W,
      p: readonly string[],
      id: readonly Uint8Array[],
      head: Uint8Array,
    ) => (m: Obj) => unknown)(S, W, paths, ids, def.head);
  const size = make(sizeLines.join('\n')) as (m: Obj) => number;
  const write = make(['W.raw(HEAD);', ...countLines, 'W.int(5, c * 2);', ...writeLines].join('\n')) as (m: Obj) => void;
  return { def, size, write };
}

function encoders(defs: Iterable<MessageDef>): Map<string, MessageEncoder> {
  const m = new Map<string, MessageEncoder>();
  for (const d of defs) m.set(d.type, compileEncoder(d));
  return m;
}

const REQUEST_ENCODERS = encoders(REQUEST_BY_TYPE.values());
const REPLY_ENCODERS = encoders(REPLY_BY_TYPE.values());

function lookup(byType: Map<string, MessageEncoder>, msg: { type: string }, direction: string): MessageEncoder {
  const enc = msg !== null && typeof msg === 'object' ? byType.get(msg.type) : undefined;
  if (enc === undefined) bad('type', `not a ${direction} type: ${String((msg as { type?: unknown } | null)?.type)}`);
  return enc;
}

function encodeOne(enc: MessageEncoder, msg: Obj, prefix: boolean): Uint8Array {
  const size = enc.size(msg);
  const buf = new Uint8Array(prefix ? size + 4 : size);
  out = buf;
  pos = 0;
  if (prefix) {
    buf[0] = size >>> 24;
    buf[1] = size >>> 16;
    buf[2] = size >>> 8;
    buf[3] = size;
    pos = 4;
  }
  enc.write(msg);
  out = EMPTY;
  return buf;
}

function encodeMany(byType: Map<string, MessageEncoder>, msgs: ArrayLike<{ type: string }>, direction: string): Uint8Array {
  const n = msgs.length;
  const encs = new Array<MessageEncoder>(n);
  const sizes = new Array<number>(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const enc = lookup(byType, msgs[i]!, direction);
    const size = enc.size(msgs[i] as unknown as Obj);
    encs[i] = enc;
    sizes[i] = size;
    total += 4 + size;
  }
  const buf = new Uint8Array(total);
  out = buf;
  pos = 0;
  for (let i = 0; i < n; i++) {
    const size = sizes[i]!;
    buf[pos++] = size >>> 24;
    buf[pos++] = size >>> 16;
    buf[pos++] = size >>> 8;
    buf[pos++] = size;
    encs[i]!.write(msgs[i] as unknown as Obj);
  }
  out = EMPTY;
  return buf;
}

const EMPTY = new Uint8Array(0);


/**
 * Encodes a request (client → DPM) to its canonical frame body (no length prefix).
 *
 * @throws {EncodeError} for an unknown `type`, a missing required field, or a value
 *   of the wrong type or outside its field's width (nothing is written).
 * @example
 * ```ts
 * const body = encodeRequest({ type: 'AddToList_request', list_id: 4711, ref_id: 1, drf_request: 'M:OUTTMP@p,1000' });
 * ```
 */
export function encodeRequest(msg: EncodableRequest): Uint8Array {
  return encodeOne(lookup(REQUEST_ENCODERS, msg, 'request'), msg as unknown as Obj, false);
}

/**
 * Encodes a reply (DPM → client) to its canonical frame body (no length prefix).
 *
 * @throws {EncodeError} see {@link encodeRequest}.
 * @example
 * ```ts
 * const body = encodeReply({ type: 'OpenList_reply', list_id: 4711 });
 * ```
 */
export function encodeReply(msg: EncodableReply): Uint8Array {
  return encodeOne(lookup(REPLY_ENCODERS, msg, 'reply'), msg as unknown as Obj, false);
}

/**
 * Encodes a request as a complete frame: 4-byte big-endian length + body, written
 * into one buffer allocated at its final size (no copy).
 *
 * @throws {EncodeError} see {@link encodeRequest}.
 * @example
 * ```ts
 * socket.write(encodeRequestFrame({ type: 'StartList_request', list_id: 4711 }));
 * ```
 */
export function encodeRequestFrame(msg: EncodableRequest): Uint8Array {
  return encodeOne(lookup(REQUEST_ENCODERS, msg, 'request'), msg as unknown as Obj, true);
}

/**
 * Encodes a reply as a complete frame (length prefix + body) in one buffer.
 *
 * @throws {EncodeError} see {@link encodeRequest}.
 * @example
 * ```ts
 * socket.write(encodeReplyFrame({ type: 'OpenList_reply', list_id: 4711 }));
 * ```
 */
export function encodeReplyFrame(msg: EncodableReply): Uint8Array {
  return encodeOne(lookup(REPLY_ENCODERS, msg, 'reply'), msg as unknown as Obj, true);
}

/**
 * Encodes several requests as consecutive frames in one buffer (one TCP write).
 * All messages are validated before anything is written.
 *
 * @throws {EncodeError} see {@link encodeRequest}.
 * @example
 * ```ts
 * socket.write(encodeRequestFrames([
 *   { type: 'AddToList_request', list_id: 4711, ref_id: 1, drf_request: 'M:OUTTMP' },
 *   { type: 'StartList_request', list_id: 4711 },
 * ]));
 * ```
 */
export function encodeRequestFrames(msgs: ArrayLike<EncodableRequest>): Uint8Array {
  return encodeMany(REQUEST_ENCODERS, msgs, 'request');
}

/**
 * Encodes several replies as consecutive frames in one buffer.
 *
 * @throws {EncodeError} see {@link encodeRequest}.
 * @example
 * ```ts
 * socket.write(encodeReplyFrames([openListReply, startListReply]));
 * ```
 */
export function encodeReplyFrames(msgs: ArrayLike<EncodableReply>): Uint8Array {
  return encodeMany(REPLY_ENCODERS, msgs, 'reply');
}

/**
 * The size in bytes of `msg` encoded as a request frame (4-byte length prefix included),
 * computed without encoding it. Validates like {@link encodeRequest}.
 *
 * @throws {EncodeError} see {@link encodeRequest}.
 * @example
 * ```ts
 * requestFrameSize({ type: 'StartList_request', list_id: 4711 }); // 13
 * ```
 */
export function requestFrameSize(msg: EncodableRequest): number {
  return 4 + lookup(REQUEST_ENCODERS, msg, 'request').size(msg as unknown as Obj);
}

/**
 * Encodes a reply as a complete frame (length prefix + body) into `buf` at `at`, without
 * allocating, and returns the position after it; `-1` (nothing written) when it does not fit in
 * `buf`. Validates like {@link encodeReply}. For servers that batch frames in a buffer of their own.
 *
 * @throws {EncodeError} see {@link encodeRequest}.
 * @example
 * ```ts
 * const buf = new Uint8Array(1024);
 * let end = encodeReplyFrameInto({ type: 'OpenList_reply', list_id: 4711 }, buf, 0);
 * end = encodeReplyFrameInto({ type: 'StartList_reply', list_id: 4711, status: 0 }, buf, end);
 * socket.write(buf.subarray(0, end));
 * ```
 */
export function encodeReplyFrameInto(msg: EncodableReply, buf: Uint8Array, at: number): number {
  const enc = lookup(REPLY_ENCODERS, msg, 'reply');
  const size = enc.size(msg as unknown as Obj);
  if (at < 0 || at + 4 + size > buf.length) return -1;
  buf[at] = size >>> 24;
  buf[at + 1] = size >>> 16;
  buf[at + 2] = size >>> 8;
  buf[at + 3] = size;
  out = buf;
  pos = at + 4;
  enc.write(msg as unknown as Obj);
  const end = pos;
  out = EMPTY;
  return end;
}
