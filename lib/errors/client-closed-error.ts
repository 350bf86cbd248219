import { AcsysError } from './acsys-error.js';

/**
 * The client was closed: operations started after `close()` (or still queued
 * or running when it was called) end with this error.
 *
 * @example
 * ```ts
 * const client = dpm();
 * client.close();
 * client.read('M:OUTTMP').subscribe({ error: (e) => console.log(e instanceof ClientClosedError) });
 * ```
 */
export class ClientClosedError extends AcsysError {
  readonly code = 'CLIENT_CLOSED';

  constructor(detail = 'the DPM client is closed') {
    super(detail);
  }
}
