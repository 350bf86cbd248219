/**
 * An authenticated write connection: a DPM connection on which the three Kerberos rounds
 * succeeded, with its reply inbox and the identity (principal, role) it carries.
 *
 * @module
 */
import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import type { KerberosAuth } from '../../auth/kerberos.js';
import type { Connection } from '../../transport/connection.js';
import { connectionAuthTransport } from './auth-transport.js';
import { ReplyInbox } from './inbox.js';

/**
 * One authenticated connection of the write pool.
 *
 * @example
 * ```ts
 * const wc = await openWriteConnection(connect$, auth, 'testing', { timeoutMs: 5000 });
 * wc.connection.send([...]);
 * wc.close();
 * ```
 */
export interface WriteConnection {
  readonly connection: Connection;
  readonly inbox: ReplyInbox;
  /** The authenticated user principal (sent as `user_name`). */
  readonly principal: string;
  /** The role this connection's list carries (`#ROLE`), if any. */
  readonly role: string | undefined;
  /** True once the connection failed or was closed. */
  readonly broken: boolean;
  /** Closes the socket (idempotent). */
  close(): void;
}

/**
 * Options of {@link openWriteConnection}.
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
 * Opens a connection from `open$` and authenticates it with `auth` (§9.2). Rejects with the
 * connection error (`ConnectError`, `HandshakeError`, `ConnectionLost`) or with
 * `AuthenticationError`; in both cases the connection is closed.
 *
 * @example
 * ```ts
 * const wc = await openWriteConnection(connect({ host, port }), kerberos(), undefined, { timeoutMs: 5000 });
 * ```
 */
export async function openWriteConnection(
  open$: Observable<Connection>,
  auth: KerberosAuth,
  role: string | undefined,
  options: OpenWriteOptions,
): Promise<WriteConnection> {
  let sub: Subscription | undefined;
  const holder: { inbox?: ReplyInbox } = {};
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    holder.inbox?.dispose();
    sub?.unsubscribe();
  };
  const connection = await new Promise<Connection>((resolve, reject) => {
    let got: Connection | undefined;
    sub = open$.subscribe({
      next: (c) => {
        got = c;
        resolve(c);
      },
      error: (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        if (got === undefined) reject(err);
        else holder.inbox?.fail(err);
      },
    });
  });
  const box = new ReplyInbox(connection.replies$, options.scheduler);
  holder.inbox = box;
  try {
    const session = await auth.authenticate(connectionAuthTransport(connection, box, options.timeoutMs, options.scheduler));
    return {
      connection,
      inbox: box,
      principal: session.principal,
      role,
      get broken() {
        return closed || connection.closed || box.error !== undefined;
      },
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}
