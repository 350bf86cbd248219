import { AcsysError } from './acsys-error.js';

/**
 * The TCP connection to DPM (or its proxy) could not be made: DNS failure,
 * connection refused, or the connect timeout expired. The underlying error, if
 * any, is the `cause`.
 * On the error of a one-shot read it also carries that read's `readings` (a
 * field the client adds, see `dpm/read-failure.ts`).
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

  constructor(host: string, port: number, detail: string, options?: { cause?: unknown }) {
    super(`cannot connect to DPM at ${host}:${port}: ${detail}`, options);
    this.host = host;
    this.port = port;
  }
}
