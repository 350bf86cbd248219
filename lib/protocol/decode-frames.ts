import { Observable, type OperatorFunction } from 'rxjs';
import { decodeReply, decodeRequest } from './decode.js';
import { ProtocolError } from './errors.js';
import type { ReplyMessage, RequestMessage } from './messages.js';

/**
 * The outcome of decoding one complete frame body.
 *
 * A decode error in a complete frame is **not** fatal (dpm-wire.md §2.6): the
 * next frame starts at a known position. The decode operators therefore emit
 * `{ ok: false, error, frame }` and go on, instead of erroring the Observable;
 * only framing errors (upstream) and the first-frame check are fatal.
 */
export type DecodedFrame<T> =
  | {
      /** Decoded. */
      readonly ok: true;
      /** The message. */
      readonly message: T;
    }
  | {
      /** Not decodable (the frame is skipped). */
      readonly ok: false;
      /** Why. */
      readonly error: ProtocolError;
      /** The frame body as received. */
      readonly frame: Uint8Array;
    };

/** Options of {@link decodeReplies}. */
export interface DecodeRepliesOptions {
  /**
   * Client side (§2.5): the first frame must decode as an `OpenList_reply`. If it
   * does not decode, the output errors with that frame's `ProtocolError`; if it
   * decodes as another reply, with `unexpected_first_message`. Default false.
   */
  expectOpenListFirst?: boolean;
}

function decodeWith<T extends { type: string }>(
  decode: (bytes: Uint8Array) => T,
  expectFirst: string | null,
): OperatorFunction<Uint8Array, DecodedFrame<T>> {
  return (source) =>
    new Observable<DecodedFrame<T>>((subscriber) => {
      let first = expectFirst !== null;
      return source.subscribe({
        next(frame) {
          let result: DecodedFrame<T>;
          try {
            result = { ok: true, message: decode(frame) };
          } catch (e) {
            if (!(e instanceof ProtocolError)) {
              subscriber.error(e);
              return;
            }
            if (first) {
              // the opening fails: same category, marked fatal
              subscriber.error(new ProtocolError(e.category, e.offset, `first frame: ${e.message}`, undefined, true));
              return;
            }
            result = { ok: false, error: e, frame: frame.slice() };
          }
          if (first) {
            first = false;
            if (result.ok && result.message.type !== expectFirst) {
              subscriber.error(
                new ProtocolError(
                  'unexpected_first_message',
                  0,
                  `expected ${expectFirst} as the first frame, got ${result.message.type}`,
                ),
              );
              return;
            }
          }
          subscriber.next(result);
        },
        error(e) {
          subscriber.error(e);
        },
        complete() {
          subscriber.complete();
        },
      });
    });
}

/**
 * RxJS operator: reply frame bodies → {@link DecodedFrame}s of {@link ReplyMessage}.
 * A frame that fails to decode becomes `{ ok: false, error }` (not fatal); with
 * `expectOpenListFirst` a bad first frame errors the output (fatal, §2.5).
 *
 * @example
 * ```ts
 * socketChunks$.pipe(splitFrames({ detectHttp: true }), decodeReplies({ expectOpenListFirst: true }))
 *   .subscribe((f) => { if (f.ok) onReply(f.message); else log.warn(f.error); });
 * ```
 */
export function decodeReplies(options: DecodeRepliesOptions = {}): OperatorFunction<Uint8Array, DecodedFrame<ReplyMessage>> {
  return decodeWith(decodeReply, options.expectOpenListFirst === true ? 'OpenList_reply' : null);
}

/**
 * RxJS operator: request frame bodies → {@link DecodedFrame}s of {@link RequestMessage}
 * (server/simulator side). A frame that fails to decode becomes `{ ok: false, error }`.
 *
 * @example
 * ```ts
 * clientChunks$.pipe(splitFrames(), decodeRequests())
 *   .subscribe((f) => { if (f.ok) serve(f.message); });
 * ```
 */
export function decodeRequests(): OperatorFunction<Uint8Array, DecodedFrame<RequestMessage>> {
  return decodeWith(decodeRequest, null);
}
