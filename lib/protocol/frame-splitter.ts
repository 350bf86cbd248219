import { ProtocolError } from './errors.js';

/** Default largest accepted frame body: 1 MiB (pacsys's limit, dpm-wire.md §2.4). */
export const DEFAULT_MAX_FRAME_LENGTH = 1048576;

/** Largest HTTP response head collected before reporting `http_error` (§2.3). */
export const MAX_HTTP_RESPONSE = 4096;

/** Options of {@link FrameSplitter} and `splitFrames`. */
export interface FrameSplitterOptions {
  /** Largest accepted body length; a larger prefix is a fatal `bad_frame_length`. Default 1 MiB. */
  maxFrameLength?: number;
  /**
   * Client side only: treat a stream whose first 4 bytes are `HTTP` as an HTTP
   * refusal of the handshake (§2.3): collect the response until CR LF CR LF, the
   * end of the stream, or 4096 bytes, then throw `http_error` carrying the status
   * line. Default false.
   */
  detectHttp?: boolean;
}

const EMPTY = new Uint8Array(0);

/**
 * Splits a byte stream into frame bodies (§2.4): push chunks split anywhere,
 * receive each body through `onFrame`, synchronously, in order.
 *
 * Zero copy where possible: a frame lying entirely within one pushed chunk is
 * handed out as a `subarray` view of that chunk (so the producer must not reuse
 * a chunk's memory after pushing it; Node sockets never do). A frame spanning
 * chunks is gathered into one buffer allocated at the frame's size as soon as
 * its length is known (one copy per byte, never a re-concatenation).
 *
 * Errors are {@link ProtocolError}s thrown from `push`/`end` and are fatal: the
 * splitter then rethrows the same error on every later call.
 * - `bad_frame_length`: a length of 0 or above `maxFrameLength`;
 * - `truncated` (from `end`): the stream closed inside a prefix or a body;
 * - `http_error` (with `detectHttp`): the stream began with `HTTP`.
 * Offsets are stream offsets (bytes pushed before the fault).
 *
 * An exception thrown by `onFrame` propagates out of `push`; the rest of that
 * chunk is then dropped.
 *
 * @example
 * ```ts
 * const splitter = new FrameSplitter((body) => handle(decodeReply(body)));
 * socket.on('data', (chunk) => splitter.push(chunk));
 * socket.on('end', () => splitter.end());
 * ```
 */
export class FrameSplitter {
  private readonly maxFrameLength: number;
  private readonly onFrame: (body: Uint8Array) => void;
  /** Stream offset of the start of the current chunk. */
  private streamPos = 0;
  private readonly prefix = new Uint8Array(4);
  private prefixHave = 0;
  private prefixStart = 0;
  private body: Uint8Array | null = null;
  private bodyHave = 0;
  private failed: ProtocolError | null = null;
  /** The first prefix is still to be checked for `HTTP`. */
  private httpCheckPending: boolean;
  /** Non-null while collecting an HTTP error response. */
  private http: Uint8Array | null = null;
  private httpLen = 0;

  constructor(onFrame: (body: Uint8Array) => void, options: FrameSplitterOptions = {}) {
    const max = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
    if (!Number.isInteger(max) || max < 1 || max > 0xffffffff) {
      throw new RangeError(`maxFrameLength must be an integer in 1..2^32-1, got ${max}`);
    }
    this.maxFrameLength = max;
    this.onFrame = onFrame;
    this.httpCheckPending = options.detectHttp === true;
  }

  /** Bytes held from an incomplete frame (prefix or body). */
  get buffered(): number {
    return this.body !== null ? 4 + this.bodyHave : this.prefixHave;
  }

  /** True when the stream is between frames (a close now would be clean). */
  get idle(): boolean {
    return this.body === null && this.prefixHave === 0 && this.http === null && this.failed === null;
  }

  /**
   * Feeds the next chunk of the stream; calls `onFrame` for every frame it completes.
   *
   * @throws {ProtocolError} `bad_frame_length` or `http_error` (fatal).
   * @example
   * ```ts
   * splitter.push(Uint8Array.of(0, 0, 0, 0x16)); // a prefix alone: nothing yet
   * ```
   */
  push(chunk: Uint8Array): void {
    if (this.failed !== null) throw this.failed;
    const n = chunk.length;
    const start = this.streamPos;
    this.streamPos += n;
    if (this.http !== null) {
      this.collectHttp(chunk, 0);
      return;
    }
    let i = 0;
    while (i < n) {
      let body = this.body;
      if (body !== null) {
        // continue a frame that spans chunks
        const have = this.bodyHave;
        const take = Math.min(body.length - have, n - i);
        body.set(take === n && i === 0 ? chunk : chunk.subarray(i, i + take), have);
        i += take;
        if (have + take === body.length) {
          this.body = null;
          this.bodyHave = 0;
          this.onFrame(body);
        } else {
          this.bodyHave = have + take;
        }
        continue;
      }
      let len: number;
      let prefixAt: number;
      if (this.prefixHave === 0 && n - i >= 4 && !this.httpCheckPending) {
        // fast path: whole prefix in this chunk
        prefixAt = start + i;
        len = ((chunk[i]! << 24) | (chunk[i + 1]! << 16) | (chunk[i + 2]! << 8) | chunk[i + 3]!) >>> 0;
        i += 4;
      } else {
        const p = this.prefix;
        if (this.prefixHave === 0) this.prefixStart = start + i;
        p[this.prefixHave++] = chunk[i++]!;
        if (this.prefixHave < 4) continue;
        this.prefixHave = 0;
        if (this.httpCheckPending) {
          this.httpCheckPending = false;
          if (p[0] === 0x48 && p[1] === 0x54 && p[2] === 0x54 && p[3] === 0x50) {
            this.http = new Uint8Array(MAX_HTTP_RESPONSE);
            this.http.set(p, 0);
            this.httpLen = 4;
            this.collectHttp(chunk, i);
            return;
          }
        }
        len = ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
        prefixAt = this.prefixStart;
      }
      if (len === 0 || len > this.maxFrameLength) {
        throw this.fail(
          new ProtocolError('bad_frame_length', prefixAt, `frame length ${len} (limit ${this.maxFrameLength})`),
        );
      }
      if (n - i >= len) {
        const frame = chunk.subarray(i, i + len);
        i += len;
        this.onFrame(frame);
      } else {
        body = new Uint8Array(len);
        body.set(chunk.subarray(i), 0);
        this.bodyHave = n - i;
        this.body = body;
        i = n;
      }
    }
  }

  /**
   * Signals the end of the stream. A close between frames is clean; inside a
   * prefix or a body it is `truncated`; during an HTTP response it is `http_error`.
   *
   * @throws {ProtocolError}
   * @example
   * ```ts
   * socket.on('end', () => splitter.end());
   * ```
   */
  end(): void {
    if (this.failed !== null) throw this.failed;
    if (this.http !== null) throw this.httpFailure();
    if (this.body !== null || this.prefixHave !== 0) {
      throw this.fail(
        new ProtocolError(
          'truncated',
          this.streamPos,
          this.body !== null
            ? `stream closed after ${this.bodyHave} of ${this.body.length} body bytes`
            : `stream closed after ${this.prefixHave} of 4 length-prefix bytes`,
          undefined,
          true,
        ),
      );
    }
  }

  private fail(e: ProtocolError): ProtocolError {
    this.failed = e;
    this.body = null;
    this.http = null;
    return e;
  }

  private collectHttp(chunk: Uint8Array, from: number): void {
    const buf = this.http!;
    const old = this.httpLen;
    const take = Math.min(buf.length - old, chunk.length - from);
    buf.set(from === 0 && take === chunk.length ? chunk : chunk.subarray(from, from + take), old);
    const len = old + take;
    this.httpLen = len;
    for (let j = Math.max(0, old - 3); j + 3 < len; j++) {
      if (buf[j] === 13 && buf[j + 1] === 10 && buf[j + 2] === 13 && buf[j + 3] === 10) throw this.httpFailure();
    }
    if (len >= buf.length) throw this.httpFailure();
  }

  private httpFailure(): ProtocolError {
    const buf = this.http ?? EMPTY;
    const len = this.httpLen;
    let eol = 0;
    while (eol < len && !(buf[eol] === 13 && buf[eol + 1] === 10)) eol++;
    let statusLine = '';
    for (let j = 0; j < eol; j++) statusLine += String.fromCharCode(buf[j]!);
    return this.fail(new ProtocolError('http_error', 0, `server answered the handshake with "${statusLine}"`, statusLine));
  }
}
