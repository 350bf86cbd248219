import { createConnection, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Observable, throwError, timeout, asyncScheduler, type SchedulerLike } from 'rxjs';
import { ConnectError } from '../errors/connect-error.js';

/**
 * Where and how {@link tcpSocket} connects.
 *
 * @example
 * ```ts
 * const t: TcpTarget = { host: 'localhost', port: 6802, connectTimeout: 5000 };
 * ```
 */
export interface TcpTarget {
  readonly host: string;
  readonly port: number;
  /** TCP connect timeout, ms. */
  readonly connectTimeout: number;
  /** Scheduler of the connect timeout (default: `asyncScheduler`). */
  readonly scheduler?: SchedulerLike | undefined;
}

/** After an unsubscribe, pending writes may flush this long before the socket is destroyed. */
const LINGER_MS = 1000;

/**
 * What a connection runs on: a TCP socket, or any byte stream with a socket's events and
 * `ref`/`unref` (an in-process simulator's pipe, `SimulatorHandle.openInProcess()`).
 *
 * @example
 * ```ts
 * const s: ByteSocket = createConnection({ host: 'localhost', port: 6802 });
 * ```
 */
export type ByteSocket = Duplex & {
  /** Let this stream keep the process alive (a TCP socket's `ref`). */
  ref(): unknown;
  /** Let the process exit while this stream is open (a TCP socket's `unref`). */
  unref(): unknown;
};

/**
 * The byte stream `open()` returns, as a connected socket Observable (like {@link tcpSocket}):
 * emitted at once; unsubscribing ends it (pending writes flushed) and destroys it after 1 s at
 * most. `open()` throwing is a `ConnectError` naming `host:port` (for messages only).
 *
 * @example
 * ```ts
 * streamSocket(() => sim.openInProcess(), 'in-process', 0).subscribe((s) => s.write(HANDSHAKE_REQUEST));
 * ```
 */
export function streamSocket(open: () => ByteSocket, host: string, port: number): Observable<ByteSocket> {
  return new Observable<ByteSocket>((subscriber) => {
    let socket: ByteSocket;
    try {
      socket = open();
    } catch (e) {
      subscriber.error(new ConnectError(host, port, e instanceof Error ? e.message : String(e), { cause: e }));
      return;
    }
    let lingerTimer: NodeJS.Timeout | undefined;
    const onClose = (): void => clearTimeout(lingerTimer);
    socket.on('close', onClose);
    subscriber.next(socket);
    return () => {
      if (socket.destroyed) return;
      socket.end();
      lingerTimer = setTimeout(() => socket.destroy(), LINGER_MS);
      lingerTimer.unref();
    };
  });
}

/**
 * A TCP socket as a resource-scoped Observable: subscribing opens it
 * (`TCP_NODELAY`, keep-alive), it emits the socket once connected and then
 * nothing more; unsubscribing closes it. An unsubscribe after a socket error
 * or `destroy()` has nothing left to do; otherwise pending writes (such as a
 * final `StopList`) are flushed with a FIN, and the socket is destroyed after
 * 1 s at most — the server is never waited for.
 *
 * Errors, all before the connection is made: `ConnectError` for an invalid
 * port, DNS failure, refusal, a close while connecting, or the connect timeout.
 * Errors of a connected socket are not reported here (read them with
 * {@link socketChunks}); they are still handled, so that none is thrown.
 *
 * @example
 * ```ts
 * tcpSocket({ host: 'localhost', port: 6802, connectTimeout: 5000 })
 *   .pipe(switchMap((socket) => socketChunks(socket)))
 *   .subscribe((chunk) => console.log(chunk.length));
 * ```
 */
export function tcpSocket(target: TcpTarget): Observable<Socket> {
  const { host, port, connectTimeout } = target;
  const socket$ = new Observable<Socket>((subscriber) => {
    // Node's createConnection throws for a bad port only after it has allocated
    // a socket handle that nothing can close: check the port first.
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      subscriber.error(new ConnectError(host, port, `invalid port ${String(port)}`));
      return;
    }
    let socket: Socket;
    try {
      socket = createConnection({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 10_000 });
    } catch (e) {
      subscriber.error(new ConnectError(host, port, e instanceof Error ? e.message : String(e), { cause: e }));
      return;
    }
    let connected = false;
    let lingerTimer: NodeJS.Timeout | undefined;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected) subscriber.error(new ConnectError(host, port, err.code ?? err.message, { cause: err }));
    });
    socket.on('close', () => {
      clearTimeout(lingerTimer);
      if (!connected) subscriber.error(new ConnectError(host, port, 'socket closed while connecting'));
    });
    socket.once('connect', () => {
      connected = true;
      subscriber.next(socket);
    });
    return () => {
      if (socket.destroyed) return;
      if (!connected) {
        socket.destroy();
        return;
      }
      socket.end();
      lingerTimer = setTimeout(() => socket.destroy(), LINGER_MS);
      lingerTimer.unref();
    };
  });
  return socket$.pipe(
    timeout({
      first: connectTimeout,
      scheduler: target.scheduler ?? asyncScheduler,
      with: () => throwError(() => new ConnectError(host, port, `connect timed out after ${connectTimeout} ms`)),
    }),
  );
}

/**
 * The bytes a connected socket receives, as an Observable of chunks (plain
 * `Uint8Array` views of Node's buffers: their `subarray` is much cheaper than
 * Buffer's). Completes when the peer closes (`end`, or `close` without one);
 * errors with the socket's own error (e.g. `ECONNRESET`). Unsubscribing only
 * stops listening; closing the socket is {@link tcpSocket}'s business.
 *
 * @example
 * ```ts
 * socketChunks(socket).pipe(splitFrameBatches()).subscribe((frames) => console.log(frames.length));
 * ```
 */
export function socketChunks(socket: ByteSocket): Observable<Uint8Array> {
  return new Observable<Uint8Array>((subscriber) => {
    const onData = (chunk: Buffer): void => {
      subscriber.next(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    };
    const onEnd = (): void => subscriber.complete();
    const onError = (err: Error): void => subscriber.error(err);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    return () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
    };
  });
}
