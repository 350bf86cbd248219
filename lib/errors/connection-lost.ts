import { AcsysError } from './acsys-error.js';
import type { Reading } from '../dpm/reading.js';

/**
 * Why an open connection was lost: the peer closed it between frames (`closed`),
 * a socket error such as a reset (`reset`), the liveness watchdog expired
 * because nothing at all arrived (`heartbeat`), or a fatal framing error
 * (`protocol`, the `ProtocolError` is the cause).
 *
 * @example
 * ```ts
 * const r: ConnectionLostReason = (e as ConnectionLost).reason;
 * ```
 */
export type ConnectionLostReason = 'closed' | 'reset' | 'heartbeat' | 'protocol';

/**
 * An open DPM connection died. Every operation running on it ends with this
 * error (streams may reconnect instead when asked to).
 *
 * @example
 * ```ts
 * client.stream('M:OUTTMP@p,1000').subscribe({
 *   error: (e) => { if (e instanceof ConnectionLost) console.error('lost:', e.reason) },
 * });
 * ```
 */
export class ConnectionLost extends AcsysError {
  readonly code = 'CONNECTION_LOST';
  /** What ended the connection. */
  readonly reason: ConnectionLostReason;
  /**
   * Set only on the error of a one-shot read (`get`/`getMany`/`read`) that this
   * connection failure ended (`dpm-behaviour.md` §4.3): one reading per request
   * in request order, the real ones that had arrived and `ACNET_RETRY` (1 −1)
   * error readings for the rest. `undefined` for streams, writes and `connect`.
   */
  declare readonly readings?: readonly Reading[];

  constructor(reason: ConnectionLostReason, detail: string, options?: { cause?: unknown }) {
    super(`DPM connection lost (${reason}): ${detail}`, options);
    this.reason = reason;
  }
}
