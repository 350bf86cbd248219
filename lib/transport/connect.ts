import { createConnection, type Socket } from 'node:net';
import { Observable, Subject, type SchedulerLike } from 'rxjs';
import { ConnectError } from '../errors/connect-error.js';
import { ConnectionLost } from '../errors/connection-lost.js';
import { HandshakeError } from '../errors/handshake-error.js';
import type { AcsysError } from '../errors/acsys-error.js';
import { decodeReply } from '../protocol/decode.js';
import { encodeRequestFrames } from '../protocol/encode.js';
import { ProtocolError } from '../protocol/errors.js';
import { FrameSplitter } from '../protocol/frame-splitter.js';
import type { ReplyMessage } from '../protocol/index.js';
import type { Connection, OutgoingRequest } from './connection.js';
import type { ConnectionState } from './connection-state.js';
import { HANDSHAKE } from './handshake.js';
import { scheduleOnce } from './timer.js';
import { Watchdog } from './watchdog.js';

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
  /** Liveness watchdog, ms (default 10000). Not validated here; see `resolveOptions`. */
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
}

type Phase = 'connecting' | 'handshake' | 'open' | 'done';

class TcpConnection implements Connection {
  readonly replies$: Observable<ReplyMessage>;
  readonly protocolErrors$: Observable<ProtocolError>;
  private refCounter = 0;
  closed = false;

  constructor(
    readonly listId: number,
    readonly label: string,
    private readonly socket: Socket,
    replies: Subject<ReplyMessage>,
    protocolErrors: Subject<ProtocolError>,
  ) {
    this.replies$ = replies.asObservable();
    this.protocolErrors$ = protocolErrors.asObservable();
  }

  nextRefId(): number {
    return ++this.refCounter;
  }

  send(messages: readonly OutgoingRequest[]): void {
    if (this.closed) return;
    this.socket.write(encodeRequestFrames(messages));
  }

  ref(): void {
    this.socket.ref();
  }

  unref(): void {
    this.socket.unref();
  }
}

/**
 * An Observable of one DPM connection. Subscribing opens the TCP socket
 * (`TCP_NODELAY`, keep-alive), writes the handshake in the connect callback,
 * recognises an HTTP refusal (`HandshakeError` with the status line), waits for
 * `OpenList_reply` and then emits the {@link Connection}. Unsubscribing closes
 * the socket (pending writes such as a final `StopList` are flushed first; the
 * socket is destroyed after 1 s at most).
 *
 * Errors: `ConnectError` (DNS, refused, connect timeout), `HandshakeError`
 * (HTTP answer, close or garbage before `OpenList_reply`, handshake timeout),
 * `ConnectionLost` (peer close, reset, watchdog `heartbeat`, fatal framing
 * `protocol` with the `ProtocolError` as cause). The liveness watchdog is reset
 * by every received byte.
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
  return new Observable<Connection>((subscriber) => {
    const { host, port, scheduler } = options;
    const label = options.label ?? 'dpm';
    const connectTimeout = options.connectTimeout ?? 5000;
    const handshakeTimeout = options.handshakeTimeout ?? 5000;
    const heartbeat = options.heartbeat ?? 10_000;
    const staleAfter = options.staleAfter ?? Math.round(heartbeat * 0.45);
    const onState = options.onState;
    const replies = new Subject<ReplyMessage>();
    const protocolErrors = new Subject<ProtocolError>();
    let phase: Phase = 'connecting';
    let conn: TcpConnection | undefined;
    let dog: Watchdog | undefined;
    let cancelTimer: (() => void) | undefined;

    onState?.({ kind: 'connecting', connection: label, attempt: options.attempt ?? 1 });

    // A synchronous failure is a ConnectError like any other, with a `closed` state
    // so that state$ does not keep this connection as `connecting`. The port is
    // checked first: Node's createConnection throws for a bad port only after it
    // has allocated a socket handle that nothing can close.
    const refuse = (detail: string, cause?: unknown): void => {
      const err = new ConnectError(host, port, detail, cause === undefined ? undefined : { cause });
      onState?.({ kind: 'closed', connection: label, reason: err });
      subscriber.error(err);
    };
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      refuse(`invalid port ${String(port)}`);
      return;
    }
    let socket: Socket;
    try {
      socket = createConnection({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 10_000 });
    } catch (e) {
      refuse(e instanceof Error ? e.message : String(e), e);
      return;
    }

    const finish = (err: AcsysError | undefined): void => {
      if (phase === 'done') return;
      phase = 'done';
      cancelTimer?.();
      cancelTimer = undefined;
      dog?.stop();
      if (conn) conn.closed = true;
      replies.complete();
      protocolErrors.complete();
      onState?.({ kind: 'closed', connection: label, reason: err });
    };

    const fail = (err: AcsysError): void => {
      if (phase === 'done') return;
      finish(err);
      socket.destroy();
      subscriber.error(err);
    };

    const onFrame = (body: Uint8Array): void => {
      if (phase === 'open') {
        let m: ReplyMessage;
        try {
          m = decodeReply(body);
        } catch (e) {
          if (e instanceof ProtocolError) protocolErrors.next(e);
          else throw e;
          return;
        }
        if (m.type === 'ListStatus_reply' && m.status !== 0 && conn !== undefined) {
          onState?.({ kind: 'open', connection: label, listId: conn.listId, warning: m.status });
        }
        replies.next(m);
        return;
      }
      if (phase !== 'handshake') return;
      let first: ReplyMessage;
      try {
        first = decodeReply(body);
      } catch (e) {
        fail(new HandshakeError('unexpected_first_message', 'the first frame does not decode', undefined, { cause: e }));
        return;
      }
      if (first.type !== 'OpenList_reply') {
        fail(new HandshakeError('unexpected_first_message', `the first frame is ${first.type}, not OpenList_reply`));
        return;
      }
      phase = 'open';
      cancelTimer?.();
      cancelTimer = undefined;
      dog = new Watchdog(
        heartbeat,
        staleAfter < heartbeat ? staleAfter : undefined,
        {
          expired: () =>
            fail(new ConnectionLost('heartbeat', `nothing received for ${heartbeat} ms from ${host}:${port}`)),
          stale: () => onState?.({ kind: 'stale', connection: label, silentMs: staleAfter }),
          fresh: () => onState?.({ kind: 'open', connection: label, listId: first.type === 'OpenList_reply' ? first.list_id : 0 }),
        },
        scheduler,
      );
      conn = new TcpConnection(first.list_id, label, socket, replies, protocolErrors);
      onState?.({ kind: 'open', connection: label, listId: first.list_id });
      subscriber.next(conn);
    };

    const splitter = new FrameSplitter(onFrame, { maxFrameLength: options.maxFrameBytes ?? 1 << 20, detectHttp: true });

    const onSplitError = (e: unknown): void => {
      if (phase === 'done') return;
      if (e instanceof ProtocolError) {
        if (e.category === 'http_error') {
          fail(new HandshakeError('http_error', `the server answered ${e.statusLine ?? 'HTTP'}`, e.statusLine, { cause: e }));
        } else if (phase !== 'open') {
          fail(
            new HandshakeError(
              e.category === 'truncated' ? 'truncated' : 'unexpected_first_message',
              e.message,
              undefined,
              { cause: e },
            ),
          );
        } else {
          fail(new ConnectionLost('protocol', e.message, { cause: e }));
        }
        return;
      }
      fail(new ConnectionLost('protocol', String(e), { cause: e }));
    };

    cancelTimer = scheduleOnce(
      () => fail(new ConnectError(host, port, `connect timed out after ${connectTimeout} ms`)),
      connectTimeout,
      scheduler,
    );

    socket.on('connect', () => {
      if (phase !== 'connecting') return;
      socket.write(HANDSHAKE);
      phase = 'handshake';
      cancelTimer?.();
      cancelTimer = scheduleOnce(
        () => fail(new HandshakeError('timeout', `no OpenList_reply within ${handshakeTimeout} ms`)),
        handshakeTimeout,
        scheduler,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      // after unsubscribe the socket may still receive until the server closes it
      if (phase === 'done') return;
      dog?.kick();
      try {
        // a plain Uint8Array view: its per-frame subarray() is much cheaper than Buffer's
        splitter.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } catch (e) {
        onSplitError(e);
      }
    });
    socket.on('end', () => {
      if (phase === 'done') return;
      try {
        splitter.end();
      } catch (e) {
        onSplitError(e);
        return;
      }
      if (phase === 'open') fail(new ConnectionLost('closed', `${host}:${port} closed the connection`));
      else fail(new HandshakeError('truncated', 'the server closed the connection before OpenList_reply'));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (phase === 'connecting') fail(new ConnectError(host, port, err.code ?? err.message, { cause: err }));
      else if (phase === 'handshake')
        fail(new HandshakeError('truncated', `socket error during the handshake: ${err.code ?? err.message}`, undefined, { cause: err }));
      else fail(new ConnectionLost('reset', `socket error: ${err.code ?? err.message}`, { cause: err }));
    });
    socket.on('close', () => {
      if (closeTimer) clearTimeout(closeTimer);
      closeTimer = undefined;
      if (phase === 'open') fail(new ConnectionLost('closed', `${host}:${port} closed the connection`));
      else if (phase === 'handshake') fail(new HandshakeError('truncated', 'the server closed the connection before OpenList_reply'));
      else if (phase === 'connecting') fail(new ConnectError(host, port, 'socket closed while connecting'));
    });

    let closeTimer: NodeJS.Timeout | undefined;

    return () => {
      if (phase === 'done') return;
      const wasOpen = phase === 'open';
      finish(undefined);
      if (wasOpen && !socket.destroyed) {
        // flush pending writes (e.g. a final StopList), then close; never wait on the server
        socket.end();
        closeTimer = setTimeout(() => socket.destroy(), 1000);
        closeTimer.unref();
      } else {
        socket.destroy();
      }
    };
  });
}
