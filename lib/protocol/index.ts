/**
 * The DPM wire codec (dpm-wire.md): message types, encoders, decoders, framing
 * and RxJS operators.
 *
 * Error surfacing, in short:
 * - encoders throw {@link EncodeError} (bad input object, nothing written);
 * - decoders throw {@link ProtocolError} with a §7 `category` and `offset`;
 * - {@link FrameSplitter} / {@link splitFrames} fail fatally (throw / error the
 *   Observable) on framing errors;
 * - {@link decodeReplies} / {@link decodeRequests} emit `{ ok: false, error }`
 *   for an undecodable frame and carry on (not fatal), except for the first-frame
 *   check of `decodeReplies({ expectOpenListFirst: true })`, which errors.
 *
 * @example
 * ```ts
 * import { encodeRequestFrames, splitFrames, decodeReplies } from 'acsys-rx/protocol';
 * socket.write(encodeRequestFrames([{ type: 'StartList_request', list_id: 4711 }]));
 * chunks$.pipe(splitFrames({ detectHttp: true }), decodeReplies({ expectOpenListFirst: true }));
 * ```
 *
 * @module
 */
export type * from './messages.js';
export { ProtocolError, EncodeError, type ProtocolErrorCategory } from './errors.js';
export { decodeRequest, decodeReply } from './decode.js';
export {
  encodeRequest,
  encodeReply,
  encodeRequestFrame,
  encodeReplyFrame,
  encodeReplyFrameInto,
  encodeRequestFrames,
  encodeReplyFrames,
  requestFrameSize,
} from './encode.js';
export { MAX_REQUEST_FRAME_BYTES } from './frame-limit.js';
export {
  FrameSplitter,
  DEFAULT_MAX_FRAME_LENGTH,
  MAX_HTTP_RESPONSE,
  type FrameSplitterOptions,
} from './frame-splitter.js';
export { splitFrames, splitFrameBatches, MAX_FRAME_BATCH, type FrameBatch } from './split-frames.js';
export { decodeReplies, decodeRequests, type DecodedFrame, type DecodeRepliesOptions } from './decode-frames.js';
export { HANDSHAKE_REQUEST, PROTOCOL_ID } from './constants.js';
