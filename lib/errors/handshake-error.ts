import { AcsysError } from './acsys-error.js';

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
 * On the error of a one-shot read it also carries that read's `readings` (a
 * field the client adds, see `dpm/read-failure.ts`).
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

  constructor(category: HandshakeFailure, detail: string, statusLine?: string, options?: { cause?: unknown }) {
    super(`DPM handshake failed (${category}): ${detail}`, options);
    this.category = category;
    this.statusLine = statusLine;
  }
}
