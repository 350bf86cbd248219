/**
 * The {@link AuthTransport} of a DPM connection: the three authentication rounds
 * (`dpm-behaviour.md` §9.2) as request/reply steps, each bounded by the operation timeout.
 *
 * @module
 */
import { asyncScheduler, first, firstValueFrom, map, takeUntil, throwError, timeout, type Observable, type SchedulerLike } from 'rxjs';
import { AuthenticationError } from '../../auth/authentication-error.js';
import type { AuthReply, AuthTransport } from '../../auth/kerberos.js';
import { ConnectionLost } from '../../errors/connection-lost.js';
import type { ReplyMessage } from '../../protocol/index.js';
import type { Connection, OutgoingRequest } from '../../transport/connection.js';
import { exchange, repliesOf } from './exchange.js';

/**
 * Maps a reply to the codec-independent {@link AuthReply}.
 *
 * @example
 * ```ts
 * toAuthReply({ type: 'Status_reply', ref_id: 0, timestamp: 0, cycle: 0, status: -4335 }); // { type: 'Status_reply', status: -4335 }
 * ```
 */
export function toAuthReply(m: ReplyMessage): AuthReply {
  if (m.type === 'Authenticate_reply') {
    return {
      type: 'Authenticate_reply',
      ...(m.serviceName !== undefined ? { serviceName: m.serviceName } : {}),
      ...(m.token !== undefined ? { token: m.token } : {}),
    };
  }
  if (m.type === 'Status_reply') return { type: 'Status_reply', status: m.status };
  return { type: 'other', received: m.type };
}

/**
 * An {@link AuthTransport} over `conn`: each call sends one request and resolves with the next
 * reply that is not a heartbeat. A round without a reply within `timeoutMs` rejects with
 * `AuthenticationError` (`server-refused`); a lost connection rejects with the connection's
 * error; `abort$` emitting ends a pending round with `ConnectionLost` (its timer is released).
 *
 * @example
 * ```ts
 * const session = await auth.authenticate(connectionAuthTransport(conn, 5000, undefined, abort$));
 * ```
 */
export function connectionAuthTransport(
  conn: Connection,
  timeoutMs: number,
  scheduler?: SchedulerLike,
  abort$?: Observable<unknown>,
): AuthTransport {
  const replies$ = repliesOf(conn);
  const round = (what: string, msg: OutgoingRequest): Promise<AuthReply> => {
    let reply$ = exchange(
      conn,
      [msg],
      replies$.pipe(
        first(),
        timeout({
          first: timeoutMs,
          scheduler: scheduler ?? asyncScheduler,
          with: () => throwError(() => new AuthenticationError('server-refused', `no reply to ${what} within ${timeoutMs} ms`)),
        }),
        map(toAuthReply),
      ),
    );
    if (abort$ !== undefined) reply$ = reply$.pipe(takeUntil(abort$));
    return firstValueFrom(reply$, { defaultValue: undefined }).then((r) => {
      if (r === undefined) throw new ConnectionLost('closed', `the connection was closed during ${what}`);
      return r;
    });
  };
  return {
    authenticate: (token) => round('Authenticate_request', { type: 'Authenticate_request', list_id: conn.listId, token }),
    enableSettings: (mic, message) =>
      round('EnableSettings_request', { type: 'EnableSettings_request', list_id: conn.listId, MIC: mic, message }),
  };
}
