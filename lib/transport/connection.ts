import type { Observable } from 'rxjs';
import type { EncodableView, ProtocolError, ReplyMessage, RequestMessage } from '../protocol/index.js';

/**
 * A request message as the encoder accepts it.
 *
 * @example
 * ```ts
 * const m: OutgoingRequest = { type: 'StartList_request', list_id: conn.listId };
 * ```
 */
export type OutgoingRequest = RequestMessage<EncodableView>;

/**
 * One open DPM connection (TCP socket after a successful handshake), as emitted
 * by {@link connect}. It owns exactly one server-side list.
 *
 * @example
 * ```ts
 * connect({ host, port }).subscribe((conn) => {
 *   const ref = conn.nextRefId();
 *   conn.replies$.subscribe((m) => console.log(m.type));
 *   conn.send([
 *     { type: 'AddToList_request', list_id: conn.listId, ref_id: ref, drf_request: 'M:OUTTMP@I' },
 *     { type: 'StartList_request', list_id: conn.listId },
 *   ]);
 * });
 * ```
 */
export interface Connection {
  /** The list id from `OpenList_reply`. */
  readonly listId: number;
  /** A label for logs and state events, e.g. `"pool#1"`. */
  readonly label: string;
  /**
   * Decoded replies, in arrival order (hot: the end of `connect()`'s pipeline,
   * see ARCHITECTURE.md). Completes when the connection ends, whatever the
   * reason; the reason is the error of the `connect()` Observable.
   */
  readonly replies$: Observable<ReplyMessage>;
  /** Undecodable complete frames: reported, not fatal (`dpm-wire.md` §2.6). */
  readonly protocolErrors$: Observable<ProtocolError>;
  /** A ref_id never used before on this connection (starts at 1, never 0). */
  nextRefId(): number;
  /** Encode `messages` and send them in one TCP write. */
  send(messages: readonly OutgoingRequest[]): void;
  /** True once the socket is closing or closed. */
  readonly closed: boolean;
  /** Let the socket keep the process alive (in use). */
  ref(): void;
  /** Let the process exit even though the socket is open (idle). */
  unref(): void;
}
