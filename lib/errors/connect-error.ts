import { AcsysError } from './acsys-error.js';
import type { Reading } from '../dpm/reading.js';

/**
 * The TCP connection to DPM (or its proxy) could not be made: DNS failure,
 * connection refused, or the connect timeout expired. The underlying error, if
 * any, is the `cause`.
 *
 * @example
 * ```ts
 * client.read('M:OUTTMP').subscribe({
 *   error: (e) => { if (e instanceof ConnectError) console.error(`${e.host}:${e.port}`, e.cause) },
 * });
 * ```
 */
export class ConnectError extends AcsysError {
  readonly code = 'CONNECT_ERROR';
  /** The host that was tried. */
  readonly host: string;
  /** The port that was tried. */
  readonly port: number;
  /**
   * Set only on the error of a one-shot read (`get`/`getMany`/`read`) that this
   * connection failure ended (`dpm-behaviour.md` §4.3): one reading per request
   * in request order, the real ones that had arrived and `ACNET_RETRY` (1 −1)
   * error readings for the rest. `undefined` for streams, writes and `connect`.
   */
  declare readonly readings?: readonly Reading[];

  constructor(host: string, port: number, detail: string, options?: { cause?: unknown }) {
    super(`cannot connect to DPM at ${host}:${port}: ${detail}`, options);
    this.host = host;
    this.port = port;
  }
}
