/**
 * An authenticated write connection: a DPM connection on which the three Kerberos rounds
 * succeeded, with the identity (principal, role) it carries — as a resource-scoped Observable.
 *
 * @module
 */
import { Subject, defer, finalize, from, map, switchMap, type Observable, type SchedulerLike } from 'rxjs';
import type { KerberosAuth } from '../../auth/kerberos.js';
import type { Connection } from '../../transport/connection.js';
import { connectionAuthTransport } from './auth-transport.js';

/**
 * One authenticated connection of the write pool.
 *
 * @example
 * ```ts
 * authenticatedConnection(connect({ host, port }), kerberos(), 'testing', { timeoutMs: 5000 })
 *   .subscribe((wc) => console.log(wc.principal));
 * ```
 */
export interface WriteConnection {
  readonly connection: Connection;
  /** The authenticated user principal (sent as `user_name`). */
  readonly principal: string;
  /** The role this connection's list carries (`#ROLE`), if any. */
  readonly role: string | undefined;
}

/**
 * Options of {@link authenticatedConnection}.
 *
 * @example
 * ```ts
 * const o: OpenWriteOptions = { timeoutMs: 5000 };
 * ```
 */
export interface OpenWriteOptions {
  /** Per-round timeout of the authentication (the operation timeout). */
  readonly timeoutMs: number;
  readonly scheduler?: SchedulerLike | undefined;
}

/**
 * Opens a connection from `open$` and authenticates it with `auth` (§9.2); emits the
 * {@link WriteConnection} once, then keeps the connection open until unsubscribed, and errors
 * when it dies. Errors with the connection error (`ConnectError`, `HandshakeError`,
 * `ConnectionLost`) or with `AuthenticationError`. Unsubscribing — also in the middle of the
 * authentication — closes the socket: nothing more is sent.
 *
 * @example
 * ```ts
 * const sub = authenticatedConnection(connect({ host, port }), kerberos(), undefined, { timeoutMs: 5000 })
 *   .subscribe((wc) => wc.connection.send([...]));
 * sub.unsubscribe(); // closes the socket
 * ```
 */
export function authenticatedConnection(
  open$: Observable<Connection>,
  auth: KerberosAuth,
  role: string | undefined,
  options: OpenWriteOptions,
): Observable<WriteConnection> {
  return open$.pipe(
    switchMap((connection) =>
      defer(() => {
        const abort$ = new Subject<void>();
        // the connection's own end (an error) reaches the holder through open$ itself
        return from(auth.authenticate(connectionAuthTransport(connection, options.timeoutMs, options.scheduler, abort$))).pipe(
          map((session): WriteConnection => ({ connection, principal: session.principal, role })),
          finalize(() => abort$.next()),
        );
      }),
    ),
  );
}

