import { Observable, Subject, type OperatorFunction, type SchedulerLike } from 'rxjs';
import { AcsysError } from '../errors/acsys-error.js';
import { ConnectionLost } from '../errors/connection-lost.js';
import { decodeReplyBatches } from '../protocol/decode-reply-batches.js';
import { encodeRequestFrames } from '../protocol/encode.js';
import { ProtocolError } from '../protocol/errors.js';
import type { ReplyMessage } from '../protocol/messages.js';
import type { FrameBatch } from '../protocol/split-frames.js';
import type { Connection, OutgoingRequest } from './connection.js';
import type { ConnectionState } from './connection-state.js';
import { liveness } from './liveness.js';
import type { ByteSocket } from './socket.js';

/**
 * Configuration of {@link openConnection}.
 *
 * @example
 * ```ts
 * const c: ConnectionConfig = { host: 'localhost', port: 6802, label: 'pool#1', heartbeat: 10_000, staleAfter: 4500 };
 * ```
 */
export interface ConnectionConfig {
  /** For messages. */
  readonly host: string;
  /** For messages. */
  readonly port: number;
  /** The connection's name in state events. */
  readonly label: string;
  /** Liveness: silence (no complete frame) after which the connection is lost, ms. */
  readonly heartbeat: number;
  /** Silence after which the connection is reported `stale`, ms (ignored unless below `heartbeat`). */
  readonly staleAfter: number;
  /** Scheduler of the liveness timers (default: unref'd Node timers). */
  readonly scheduler?: SchedulerLike | undefined;
  /** Receives `open` (also with a heartbeat `warning`) and `stale` states. */
  readonly onState?: ((state: ConnectionState) => void) | undefined;
}

/** The {@link Connection} handed out: a socket to send on, subjects its pipeline feeds. */
class TcpConnection implements Connection {
  readonly replies$: Observable<ReplyMessage>;
  readonly protocolErrors$: Observable<ProtocolError>;
  closed = false;
  private refCounter = 0;

  constructor(
    readonly listId: number,
    readonly label: string,
    private readonly socket: ByteSocket,
    replies: Subject<ReplyMessage>,
    protocolErrors: Subject<ProtocolError>,
  ) {
    // the Subject itself, typed as an Observable: one subscriber layer less per list (hot path)
    this.replies$ = replies;
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
 * The last steps of a connection's pipeline: frame batches whose first frame is
 * the `OpenList_reply` (see `handshake`) → {@link liveness} (complete frames are
 * the signs of life) → `decodeReplyBatches` (a cursor decoding each frame as it
 * is read) → one {@link Connection}, emitted for the `OpenList_reply`, on which
 * every reply is multicast: each reply to the connection's `replies$`, the
 * `ProtocolError` of an undecodable frame to its `protocolErrors$` (not fatal,
 * `dpm-wire.md` §2.6), in arrival order, synchronously — replies that arrived
 * together with the `OpenList_reply` reach a consumer that subscribed on the
 * emission.
 *
 * The output never completes: when the connection ends, `replies$` and
 * `protocolErrors$` complete, `closed` turns true, the socket is destroyed and
 * the output errors with `ConnectionLost` — `closed` (the source completed:
 * the peer closed between frames), `protocol` (a fatal framing error, the
 * `ProtocolError` is the cause), `reset` (a socket error), `heartbeat`
 * (liveness). Typed errors from upstream (`HandshakeError`) pass unchanged.
 * Unsubscribing completes the subjects too.
 *
 * @example
 * ```ts
 * frameBatches$.pipe(handshake({ send, timeoutMs: 5000 }), openConnection(socket, config))
 *   .subscribe((conn) => conn.replies$.subscribe((m) => console.log(m.type)));
 * ```
 */
export function openConnection(socket: ByteSocket, config: ConnectionConfig): OperatorFunction<FrameBatch, Connection> {
  const { host, port, label, onState } = config;
  return (batches$) =>
    new Observable<Connection>((subscriber) => {
      const replies = new Subject<ReplyMessage>();
      const protocolErrors = new Subject<ProtocolError>();
      let conn: TcpConnection | undefined;
      const end = (): void => {
        if (conn !== undefined) conn.closed = true;
        replies.complete();
        protocolErrors.complete();
      };
      const fail = (err: AcsysError): void => {
        end();
        socket.destroy();
        subscriber.error(err);
      };

      const upstream = batches$
        .pipe(
          liveness({
            timeoutMs: config.heartbeat,
            staleMs: config.staleAfter,
            scheduler: config.scheduler,
            detail: `from ${host}:${port}`,
            onStale: (silentMs) => onState?.({ kind: 'stale', connection: label, silentMs }),
            onFresh: () => onState?.({ kind: 'open', connection: label, listId: conn!.listId }),
          }),
          decodeReplyBatches(),
        )
        .subscribe({
          next(cursor) {
            let c = conn;
            if (c === undefined) {
              // the handshake let this batch through only because its first frame is the OpenList_reply
              const open = cursor.next() as Extract<ReplyMessage, { type: 'OpenList_reply' }>;
              c = conn = new TcpConnection(open.list_id, label, socket, replies, protocolErrors);
              onState?.({ kind: 'open', connection: label, listId: open.list_id });
              subscriber.next(c);
            }
            for (let m = cursor.next(); m !== undefined && !c.closed; m = cursor.next()) {
              if (m === null) {
                if (cursor.fault !== undefined) {
                  // never thrown into the socket
                  fail(new ConnectionLost('protocol', `decoder failure: ${String(cursor.fault)}`, { cause: cursor.fault }));
                  return;
                }
                protocolErrors.next(cursor.error!);
                continue;
              }
              if (m.type === 'ListStatus_reply' && m.status !== 0) {
                onState?.({ kind: 'open', connection: label, listId: c.listId, warning: m.status });
              }
              replies.next(m);
            }
          },
          error: (e: unknown) => fail(connectionLoss(e)),
          complete: () => fail(new ConnectionLost('closed', `${host}:${port} closed the connection`)),
        });
      return () => {
        upstream.unsubscribe();
        end();
      };
    });
}

/** An error of an open connection's pipeline as the typed error it means. */
function connectionLoss(e: unknown): AcsysError {
  if (e instanceof ProtocolError) return new ConnectionLost('protocol', e.message, { cause: e });
  if (e instanceof AcsysError) return e; // liveness's ConnectionLost, the handshake's HandshakeError
  // anything else comes from the socket (ECONNRESET, EPIPE, …)
  const err = e as NodeJS.ErrnoException | undefined;
  return new ConnectionLost('reset', `socket error: ${err?.code ?? err?.message ?? String(e)}`, { cause: e });
}
