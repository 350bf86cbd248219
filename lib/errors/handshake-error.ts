import { AcsysError } from './acsys-error.js';
import type { Reading } from '../dpm/reading.js';

/**
 * Why a handshake failed (`dpm-behaviour.md` §10.1): the proxy answered with an
 * HTTP error, the peer closed before or inside the first frame, the first frame
 * was not `OpenList_reply`, or the handshake timeout expired.
 *
 * @example
 * ```ts
 * if ((e as HandshakeError).category === 'http_error') console.error((e as HandshakeError).statusLine);
 * ```
 */
export type HandshakeFailure = 'http_error' | 'truncated' | 'unexpected_first_message' | 'timeout';

/**
 * The TCP connection was made but the DPM handshake failed (see {@link HandshakeFailure}).
 * For an HTTP answer, `statusLine` holds its first line (e.g. `"HTTP/1.1 404 Not Found"`).
 *
 * @example
 * ```ts
 * connect({ host, port }).subscribe({
 *   error: (e) => { if (e instanceof HandshakeError) console.error(e.category, e.statusLine) },
 * });
 * ```
 */
export class HandshakeError extends AcsysError {
  readonly code = 'HANDSHAKE_ERROR';
  /** What went wrong. */
  readonly category: HandshakeFailure;
  /** The HTTP status line when `category` is `"http_error"`. */
  readonly statusLine: string | undefined;
  /**
   * Set only on the error of a one-shot read (`get`/`getMany`/`read`) that this
   * connection failure ended (`dpm-behaviour.md` §4.3): one reading per request
   * in request order, the real ones that had arrived and `ACNET_RETRY` (1 −1)
   * error readings for the rest. `undefined` for streams, writes and `connect`.
   */
  declare readonly readings?: readonly Reading[];

  constructor(category: HandshakeFailure, detail: string, statusLine?: string, options?: { cause?: unknown }) {
    super(`DPM handshake failed (${category}): ${detail}`, options);
    this.category = category;
    this.statusLine = statusLine;
  }
}
