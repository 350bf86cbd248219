/**
 * A specialised, allocation-free encoder of framed `Scalar_reply` messages for the
 * simulator's hot path (fast streams): writes length prefix + body straight into a
 * caller's buffer. Produces exactly the bytes of the project codec's `encodeReplyFrame`.
 *
 * @example
 * ```ts
 * const enc = new ScalarFrameEncoder(1);
 * const buf = Buffer.allocUnsafe(enc.maxFrameBytes);
 * const end = enc.write(buf, 0, Date.now(), 0, 72.5); // bytes [0, end) hold one frame
 * ```
 *
 * @module
 */

const HEADER = [0x53, 0x44, 0x44, 0x02, 0x51, 0x03, 0x14, 0xb1, 0x3a, 0x70, 0x3a];
const MSG_ID = [0x12, 0xd6, 0xab];
const FIELD_COUNT = [0x51, 0x0a];
const F_REF_ID = [0x12, 0x1e, 0xab];
const F_TIMESTAMP = [0x12, 0xd5, 0x5b];
const F_CYCLE = [0x12, 0x07, 0x40];
const F_STATUS = [0x12, 0x44, 0x54];
const F_DATA = [0x12, 0x7f, 0x38];

/**
 * Encodes `Scalar_reply` frames for one ref_id.
 *
 * @example
 * ```ts
 * const enc = new ScalarFrameEncoder(7);
 * const out = Buffer.allocUnsafe(64 * 1024);
 * let pos = 0;
 * while (pos + enc.maxFrameBytes <= out.length) pos = enc.write(out, pos, Date.now(), pos, 1.0);
 * ```
 */
export class ScalarFrameEncoder {
  /** Upper bound of one frame's size in bytes (prefix included). */
  readonly maxFrameBytes = 4 + 11 + 3 + 2 + (3 + 9) * 3 + 3 + 2 + 3 + 9;
  private readonly prefix: Buffer;
  /** prefix + timestamp + cycle field id (first `headLength` bytes), for the last timestamp seen. */
  private readonly head: Buffer;
  private headLength = 0;
  private headTs = Number.NaN;

  constructor(refId: number) {
    if (!Number.isSafeInteger(refId)) throw new RangeError(`ref_id must be a safe integer, got ${refId}`);
    const bytes = [...HEADER, ...MSG_ID, ...FIELD_COUNT, ...F_REF_ID];
    pushInt(bytes, refId);
    bytes.push(...F_TIMESTAMP);
    this.prefix = Buffer.from(bytes);
    this.head = Buffer.alloc(this.prefix.length + 8 + 3);
    this.prefix.copy(this.head, 0);
  }

  /**
   * Writes one frame at `pos` in `buf` (which must have `maxFrameBytes` free) and returns
   * the position after it. `timestamp` and `cycle` must be safe integers.
   */
  write(buf: Buffer, pos: number, timestamp: number, cycle: number, data: number, status = 0): number {
    if (timestamp !== this.headTs) this.rebuildHead(timestamp);
    const head = this.head;
    const start = pos;
    pos += 4;
    const hl = this.headLength;
    for (let i = 0; i < hl; i++) buf[pos + i] = head[i]!;
    pos += hl;
    pos = writeInt(buf, pos, cycle);
    buf[pos++] = F_STATUS[0]!;
    buf[pos++] = F_STATUS[1]!;
    buf[pos++] = F_STATUS[2]!;
    if (status === 0) {
      buf[pos++] = 0x11;
      buf[pos++] = 0;
    } else {
      pos = writeInt(buf, pos, status);
    }
    buf[pos++] = F_DATA[0]!;
    buf[pos++] = F_DATA[1]!;
    buf[pos++] = F_DATA[2]!;
    buf[pos++] = 0x28;
    if (Number.isNaN(data)) {
      buf[pos] = 0x7f;
      buf[pos + 1] = 0xf8;
      buf.fill(0, pos + 2, pos + 8);
    } else {
      buf.writeDoubleBE(data, pos);
    }
    pos += 8;
    const len = pos - start - 4;
    buf[start] = 0;
    buf[start + 1] = 0;
    buf[start + 2] = len >> 8;
    buf[start + 3] = len & 0xff;
    return pos;
  }

  /** Rewrites the timestamp (and what follows it) in place: no allocation per timestamp. */
  private rebuildHead(timestamp: number): void {
    const h = this.head;
    let p = writeInt(h, this.prefix.length, timestamp);
    h[p++] = F_CYCLE[0]!;
    h[p++] = F_CYCLE[1]!;
    h[p++] = F_CYCLE[2]!;
    this.headLength = p;
    this.headTs = timestamp;
  }
}

function intSize(v: number): number {
  if (v >= -0x80 && v <= 0x7f) return 1;
  if (v >= -0x8000 && v <= 0x7fff) return 2;
  if (v >= -0x800000 && v <= 0x7fffff) return 3;
  if (v >= -0x80000000 && v <= 0x7fffffff) return 4;
  if (v >= -0x8000000000 && v <= 0x7fffffffff) return 5;
  if (v >= -0x800000000000 && v <= 0x7fffffffffff) return 6;
  return 7; // every safe integer fits in 7 bytes
}

function writeInt(buf: Buffer, pos: number, v: number): number {
  const n = intSize(v);
  buf[pos++] = 0x10 | n;
  if (n <= 4) {
    for (let i = n - 1; i >= 0; i--) buf[pos + (n - 1 - i)] = (v >> (8 * i)) & 0xff;
  } else {
    const hi = Math.floor(v / 4294967296);
    const lo = v - hi * 4294967296;
    for (let i = n - 5; i >= 0; i--) buf[pos + (n - 5 - i)] = (hi >> (8 * i)) & 0xff;
    buf.writeUInt32BE(lo, pos + n - 4);
  }
  return pos + n;
}

function pushInt(out: number[], v: number): void {
  const b = Buffer.alloc(8);
  const end = writeInt(b, 0, v);
  out.push(...b.subarray(0, end));
}
