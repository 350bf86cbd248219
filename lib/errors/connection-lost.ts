import { AcsysError } from './acsys-error.js';

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
 * On the error of a one-shot read it also carries that read's `readings` (a
 * field the client adds, see `dpm/read-failure.ts`).
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

  constructor(reason: ConnectionLostReason, detail: string, options?: { cause?: unknown }) {
    super(`DPM connection lost (${reason}): ${detail}`, options);
    this.reason = reason;
  }
}
