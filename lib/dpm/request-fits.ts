/**
 * The frame-size check of a request's `AddToList` (`dpm-behaviour.md` §2.4), done before
 * anything is sent.
 *
 * @module
 */
import { RequestTooLargeError } from '../errors/request-too-large-error.js';
import { requestFrameSize } from '../protocol/encode.js';
import { MAX_REQUEST_FRAME_BYTES } from '../protocol/frame-limit.js';

/** Largest list and ref ids, for a size that holds whatever ids the connection uses. */
const ID_MAX = 0x7fffffff;
/** A DRF this short always fits (UTF-8 at most 3 bytes per UTF-16 unit, plus the frame head). */
const ALWAYS_FITS = Math.floor((MAX_REQUEST_FRAME_BYTES - 64) / 3);

/**
 * Throws `RequestTooLargeError` when the `AddToList` of `wire` (the DRF text sent for `drf`)
 * would be a frame longer than DPM accepts; such a request is refused before anything is sent
 * and never retried.
 *
 * @example
 * ```ts
 * assertRequestFits('M:OUTTMP', 'M:OUTTMP@I'); // fine
 * assertRequestFits(huge, huge);               // throws RequestTooLargeError
 * ```
 */
export function assertRequestFits(drf: string, wire: string): void {
  if (typeof wire !== 'string' || wire.length <= ALWAYS_FITS) return; // a non-string is the DRF parser's to refuse
  const bytes = requestFrameSize({ type: 'AddToList_request', list_id: ID_MAX, ref_id: ID_MAX, drf_request: wire });
  if (bytes > MAX_REQUEST_FRAME_BYTES) throw new RequestTooLargeError(drf, 'its AddToList request', bytes, MAX_REQUEST_FRAME_BYTES);
}
