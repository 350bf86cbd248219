/**
 * Reusing a pooled connection's list between one-shot reads (`dpm-behaviour.md` §4.1, §8.2):
 * after a read whose requests were all one-shots, the list's `StopList` + `ClearList` go out in
 * front of the next read's `AddToList`s (the same single write), saving a write and a server
 * wake-up per read. Reads with repetitive events or logger sources stop and clear at once.
 *
 * @module
 */
import type { Connection, OutgoingRequest } from '../transport/connection.js';
import type { Lease } from './pool.js';

/** Connections whose list still holds the requests of a finished one-shot read. */
const needsReset = new WeakSet<Connection>();

/**
 * The messages to send in front of the next list on `conn`: the `StopList` + `ClearList` a
 * finished one-shot read left owing, or `undefined` (and the debt is paid).
 *
 * @example
 * ```ts
 * dpmList(conn, requests, { gather: true, prefix: takeResetPrefix(conn) });
 * ```
 */
export function takeResetPrefix(conn: Connection): OutgoingRequest[] | undefined {
  if (!needsReset.has(conn)) return undefined;
  needsReset.delete(conn);
  return [
    { type: 'StopList_request', list_id: conn.listId },
    { type: 'ClearList_request', list_id: conn.listId },
  ];
}

/**
 * The end of a read's list on a leased connection, before the lease ends: the connection is
 * discarded when the list failed or the connection is closing; otherwise its list is stopped
 * and cleared, now or (`allOneShot`) in front of the next list.
 *
 * @example
 * ```ts
 * releaseReadList(lease, { failed: false, allOneShot: true });
 * ```
 */
export function releaseReadList(lease: Lease, how: { readonly failed: boolean; readonly allOneShot: boolean }): void {
  const conn = lease.connection;
  if (how.failed || conn.closed) lease.discard();
  else if (how.allOneShot) needsReset.add(conn);
  else {
    try {
      conn.send([
        { type: 'StopList_request', list_id: conn.listId },
        { type: 'ClearList_request', list_id: conn.listId },
      ]);
    } catch {
      lease.discard();
    }
  }
}
