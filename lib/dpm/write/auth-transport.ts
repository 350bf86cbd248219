/**
 * The {@link AuthTransport} of a DPM connection: the three authentication rounds
 * (`dpm-behaviour.md` §9.2) as request/reply steps, each bounded by the operation timeout.
 *
 * @module
 */
import type { SchedulerLike } from 'rxjs';
import { AuthenticationError } from '../../auth/authentication-error.js';
import type { AuthReply, AuthTransport } from '../../auth/kerberos.js';
import type { ReplyMessage } from '../../protocol/index.js';
import type { Connection, OutgoingRequest } from '../../transport/connection.js';
import { nowMs } from '../../transport/timer.js';
import { DeadlineExceeded, type ReplyInbox } from './inbox.js';

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
 * reply that is not a heartbeat (the inbox drops `ListStatus_reply` in every round). A round
 * without a reply within `timeoutMs` rejects with `AuthenticationError` (`server-refused`);
 * a lost connection rejects with the connection's error.
 *
 * @example
 * ```ts
 * const session = await auth.authenticate(connectionAuthTransport(conn, inbox, 5000));
 * ```
 */
export function connectionAuthTransport(
  conn: Connection,
  inbox: ReplyInbox,
  timeoutMs: number,
  scheduler?: SchedulerLike,
): AuthTransport {
  const round = async (what: string, msg: OutgoingRequest): Promise<AuthReply> => {
    inbox.clear();
    conn.send([msg]);
    try {
      return toAuthReply(await inbox.next(nowMs(scheduler) + timeoutMs, timeoutMs));
    } catch (e) {
      if (e instanceof DeadlineExceeded) {
        throw new AuthenticationError('server-refused', `no reply to ${what} within ${timeoutMs} ms`, { cause: e });
      }
      throw e;
    }
  };
  return {
    authenticate: (token) => round('Authenticate_request', { type: 'Authenticate_request', list_id: conn.listId, token }),
    enableSettings: (mic, message) =>
      round('EnableSettings_request', { type: 'EnableSettings_request', list_id: conn.listId, MIC: mic, message }),
  };
}
