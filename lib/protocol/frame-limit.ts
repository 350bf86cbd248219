/**
 * The largest request frame DPM accepts (`dpm-behaviour.md` §2.4): the server reads each request
 * into a 128 KiB buffer and drops the connection on a longer frame.
 *
 * @module
 */

/**
 * The most bytes one request frame (length prefix included) may have: 131 072 (128 KiB). A client
 * must not send a longer frame (a large `ApplySettings_request` or a huge DRF); the server would
 * drop the connection.
 *
 * @example
 * ```ts
 * if (requestFrameSize(msg) > MAX_REQUEST_FRAME_BYTES) throw new RequestTooLargeError(...);
 * ```
 */
export const MAX_REQUEST_FRAME_BYTES = 131_072;
