/**
 * Request/response steps on a connection, as Observables: subscribe to the replies first, then
 * send, so that no reply can be missed.
 *
 * @module
 */
import { Observable, concat, filter, throwError } from 'rxjs';
import { ConnectionLost } from '../../errors/connection-lost.js';
import type { ReplyMessage } from '../../protocol/index.js';
import type { Connection, OutgoingRequest } from '../../transport/connection.js';

/**
 * The replies of `conn` without `ListStatus_reply` heartbeats (every settings step skips them,
 * `dpm-behaviour.md` §9.2). The end of the connection is an error: its own, or
 * `ConnectionLost('closed')` when it closed without one.
 *
 * @example
 * ```ts
 * repliesOf(conn).pipe(first((m) => m.type === 'ApplySettings_reply'));
 * ```
 */
export function repliesOf(conn: Connection): Observable<ReplyMessage> {
  return concat(
    conn.replies$.pipe(filter((m) => m.type !== 'ListStatus_reply')),
    throwError(() => new ConnectionLost('closed', 'the connection closed')),
  );
}

/**
 * Subscribes to `response$` (built on the connection's replies), then sends `messages` in one
 * TCP write. When the connection is already closed nothing is sent and the result errors with
 * `ConnectionLost` at once: the request provably never left.
 *
 * @example
 * ```ts
 * exchange(conn, [{ type: 'StartList_request', list_id: conn.listId }],
 *   repliesOf(conn).pipe(first((m) => m.type === 'StartList_reply')));
 * ```
 */
export function exchange<T>(conn: Connection, messages: readonly OutgoingRequest[], response$: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    if (conn.closed) {
      subscriber.error(new ConnectionLost('closed', 'the connection closed before the request was sent'));
      return;
    }
    const sub = response$.subscribe(subscriber);
    if (!sub.closed) conn.send(messages);
    return sub;
  });
}
