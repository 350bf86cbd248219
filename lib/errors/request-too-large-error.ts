import { AcsysError } from './acsys-error.js';

/**
 * A request cannot be sent because its frame would exceed the server's limit of 128 KiB
 * (`dpm-behaviour.md` §2.4): an enormous DRF, or a setting whose value alone does not fit in one
 * `ApplySettings_request`. Raised before anything is sent (no connection is opened); it is never
 * retried, since it would fail the same way again.
 *
 * @example
 * ```ts
 * client.write('Z:TEXTDEV', 'x'.repeat(10_000_000)).subscribe({
 *   error: (e) => { if (e instanceof RequestTooLargeError) console.error(e.bytes, '>', e.limit) },
 * });
 * ```
 */
export class RequestTooLargeError extends AcsysError {
  readonly code = 'REQUEST_TOO_LARGE';
  /** The DRF whose request does not fit (as given; shortened in the message). */
  readonly drf: string;
  /** The size the frame would have, in bytes. */
  readonly bytes: number;
  /** The largest frame the server accepts, in bytes. */
  readonly limit: number;

  constructor(drf: string, what: string, bytes: number, limit: number) {
    super(`${shorten(drf)}: ${what} would be a ${bytes}-byte frame; DPM accepts at most ${limit} bytes (nothing was sent)`);
    this.drf = drf;
    this.bytes = bytes;
    this.limit = limit;
  }
}

function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
