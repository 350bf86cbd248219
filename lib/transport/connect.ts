import { Observable, switchMap, type SchedulerLike } from 'rxjs';
import { DEFAULT_MAX_FRAME_LENGTH } from '../protocol/frame-splitter.js';
import { splitFrameBatches } from '../protocol/split-frames.js';
import type { Connection } from './connection.js';
import type { ConnectionState } from './connection-state.js';
import { handshake } from './handshake.js';
import { socketChunks, streamSocket, tcpSocket, type ByteSocket } from './socket.js';
import { openConnection } from './tcp-connection.js';
import type { AcsysError } from '../errors/acsys-error.js';

/**
 * Options of {@link connect}.
 *
 * @example
 * ```ts
 * const o: ConnectOptions = { host: 'localhost', port: 6802, heartbeat: 10_000 };
 * ```
 */
export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** TCP connect timeout, ms (default 5000). */
  readonly connectTimeout?: number;
  /** Connect → `OpenList_reply`, ms (default 5000). */
  readonly handshakeTimeout?: number;
  /** Liveness: no complete frame for this long ends the connection with `ConnectionLost('heartbeat')`, ms (default 10000). Not validated here; see `resolveOptions`. */
  readonly heartbeat?: number;
  /** Silence after which the connection is reported `stale`, ms (default 45 % of `heartbeat`, i.e. 4500 for 10 s: DPM's 2 s heartbeat can leave ~4 s gaps). */
  readonly staleAfter?: number;
  /** Largest accepted frame (default 1 MiB). */
  readonly maxFrameBytes?: number;
  /** Scheduler for every timer (default: Node timers). */
  readonly scheduler?: SchedulerLike | undefined;
  /** Label used in state events (default `"dpm"`). */
  readonly label?: string;
  /** Reconnect attempt number reported in the `connecting` state (default 1). */
  readonly attempt?: number;
  /** Receives every state change of this connection. */
  readonly onState?: (state: ConnectionState) => void;
  /**
   * Open the byte stream to run on instead of a TCP connection to `host:port` (which then only
   * name it in messages), e.g. `() => sim.openInProcess()` for a simulator in this process.
   */
  readonly connectWith?: (() => ByteSocket) | undefined;
}

/**
 * An Observable of one DPM connection, a resource scoped to the subscription.
 * Subscribing opens the TCP socket; unsubscribing closes it (pending writes such
 * as a final `StopList` are flushed first; the socket is destroyed after 1 s at
 * most). In between, one pipeline:
 *
 * bytes (`socketChunks`) → frames (`splitFrameBatches`, batches of up to 64)
 * → `handshake` (sends the request, awaits `OpenList_reply`) → `liveness`
 * (complete frames are the signs of life) → replies, shared (`openConnection`:
 * emits the {@link Connection}, decodes every frame and multicasts it on
 * `replies$`).
 *
 * Errors: `ConnectError` (invalid port, DNS, refused, connect timeout),
 * `HandshakeError` (HTTP answer with its status line, close or garbage before
 * `OpenList_reply`, handshake timeout), `ConnectionLost` (peer close, socket
 * error `reset`, `heartbeat` when no complete frame arrived for `heartbeat` ms,
 * fatal framing `protocol` with the `ProtocolError` as cause). Every state
 * change goes to `onState`, ending with one `closed` (its `reason` is the error,
 * or `undefined` after an unsubscribe).
 *
 * @example
 * ```ts
 * const sub = connect({ host: 'localhost', port: 6802 }).subscribe({
 *   next: (conn) => console.log('list', conn.listId),
 *   error: (e) => console.error(e),
 * });
 * sub.unsubscribe();
 * ```
 */
export function connect(options: ConnectOptions): Observable<Connection> {
  const { host, port, scheduler, onState } = options;
  const label = options.label ?? 'dpm';
  const heartbeat = options.heartbeat ?? 10_000;
  const socket$: Observable<ByteSocket> =
    options.connectWith !== undefined
      ? streamSocket(options.connectWith, host, port)
      : tcpSocket({ host, port, connectTimeout: options.connectTimeout ?? 5000, scheduler });
  const connection$ = socket$.pipe(
    switchMap((socket) =>
      socketChunks(socket).pipe(
        splitFrameBatches({ detectHttp: true, maxFrameLength: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_LENGTH }),
        handshake({ send: (bytes) => socket.write(bytes), timeoutMs: options.handshakeTimeout ?? 5000, scheduler }),
        openConnection(socket, {
          host,
          port,
          label,
          heartbeat,
          staleAfter: options.staleAfter ?? Math.round(heartbeat * 0.45),
          scheduler,
          onState,
        }),
      ),
    ),
  );
  // The lifecycle in state events: `connecting` on subscribe, then one final `closed`.
  return new Observable<Connection>((subscriber) => {
    let closed = false;
    const reportClosed = (reason: AcsysError | undefined): void => {
      closed = true;
      onState?.({ kind: 'closed', connection: label, reason });
    };
    onState?.({ kind: 'connecting', connection: label, attempt: options.attempt ?? 1 });
    const sub = connection$.subscribe({
      next: (conn) => subscriber.next(conn),
      error: (err: AcsysError) => {
        reportClosed(err);
        subscriber.error(err);
      },
    });
    return () => {
      sub.unsubscribe();
      if (!closed) reportClosed(undefined);
    };
  });
}
