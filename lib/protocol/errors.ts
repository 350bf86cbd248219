import { AcsysError } from '../errors/acsys-error.js';

/**
 * The error categories of `dpm-wire.md` §7, exactly as spelled there.
 * Message-level (§7.1) errors concern one complete frame body and are not fatal
 * to a connection; connection-level ones (§7.2: `http_error`, `bad_frame_length`,
 * `unexpected_first_message`, and `truncated` raised by the framing) are.
 */
export type ProtocolErrorCategory =
  | 'truncated'
  | 'bad_header'
  | 'wrong_protocol_id'
  | 'unknown_message_id'
  | 'wrong_field_count'
  | 'unknown_field_id'
  | 'duplicate_field'
  | 'missing_field'
  | 'bad_tag_or_length'
  | 'value_out_of_range'
  | 'invalid_utf8'
  | 'trailing_bytes'
  | 'http_error'
  | 'bad_frame_length'
  | 'unexpected_first_message';

/**
 * A malformed byte sequence from the peer: a frame body that cannot be decoded,
 * or a fault in the byte stream around the frames.
 *
 * `offset` is the byte offset where the fault was found: relative to the start
 * of the frame body for message-level errors, relative to the start of the
 * stream (bytes pushed so far) for framing errors.
 *
 * @example
 * ```ts
 * try { decodeReply(body) } catch (e) {
 *   if (e instanceof ProtocolError) console.warn(e.category, e.offset);
 * }
 * ```
 */
export class ProtocolError extends AcsysError {
  readonly code = 'PROTOCOL_ERROR';
  /** The spec §7 category. */
  readonly category: ProtocolErrorCategory;
  /** Byte offset of the fault (see class doc). */
  readonly offset: number;
  /** For `http_error`: the HTTP status line, e.g. `"HTTP/1.1 404 Not Found"`. */
  readonly statusLine?: string;
  /**
   * True when the error is fatal to the connection (§2.6): every error raised by
   * the framing layer (`FrameSplitter`: `bad_frame_length`, `http_error`, and
   * `truncated` at end of stream) and `unexpected_first_message`; false for the
   * decode error of one complete frame (decoders).
   */
  readonly fatal: boolean;

  constructor(
    category: ProtocolErrorCategory,
    offset: number,
    detail?: string,
    statusLine?: string,
    fatal: boolean = category === 'http_error' || category === 'bad_frame_length' || category === 'unexpected_first_message',
  ) {
    super(`DPM protocol error (${category}) at byte ${offset}${detail ? `: ${detail}` : ''}`);
    this.category = category;
    this.offset = offset;
    if (statusLine !== undefined) this.statusLine = statusLine;
    this.fatal = fatal;
  }
}

/**
 * A message object that cannot be encoded: an integer outside its field's width
 * (or not an integer), an int64 `number` that is not a safe integer, a missing
 * required field, a value of the wrong JavaScript type, a string with a lone
 * surrogate, or an unknown `type`. Nothing is written when this is thrown.
 *
 * @example
 * ```ts
 * try { encodeRequest({ type: 'ClearList_request', list_id: 2 ** 40 }) }
 * catch (e) { if (e instanceof EncodeError) console.error(e.field, e.message) }
 * ```
 */
export class EncodeError extends AcsysError {
  readonly code = 'ENCODE_ERROR';
  /** Path of the offending field, e.g. `"AddToList_request.ref_id"` or `"ApplySettings_request.raw_array[2].ref_id"`. */
  readonly field: string;

  constructor(field: string, detail: string) {
    super(`cannot encode ${field}: ${detail}`);
    this.field = field;
  }
}
