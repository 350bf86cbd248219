import {
  Observable,
  asyncScheduler,
  defer,
  throwError,
  timeout,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { AcsysError } from '../errors/acsys-error.js';
import { HandshakeError } from '../errors/handshake-error.js';
import { HANDSHAKE_REQUEST } from '../protocol/constants.js';
import { decodeReply } from '../protocol/decode.js';
import { ProtocolError } from '../protocol/errors.js';
import type { FrameBatch } from '../protocol/split-frames.js';

/**
 * Configuration of {@link handshake}.
 *
 * @example
 * ```ts
 * const h: HandshakeConfig = { send: (bytes) => socket.write(bytes), timeoutMs: 5000 };
 * ```
 */
export interface HandshakeConfig {
  /** Writes bytes to the peer (the handshake request). */
  readonly send: (bytes: Uint8Array) => void;
  /** Subscribe → `OpenList_reply`, ms. */
  readonly timeoutMs: number;
  /** Scheduler of the timeout (default: `asyncScheduler`). */
  readonly scheduler?: SchedulerLike | undefined;
}

/**
 * The client side of the DPM handshake as a step of a connection's frame
 * pipeline (`dpm-wire.md` §2.2–2.5): on subscribe it sends the 51-byte
 * `HANDSHAKE_REQUEST`, then mirrors the frame batches once the first frame has
 * proven to decode as an `OpenList_reply` (the first batch is emitted whole,
 * starting with that frame).
 *
 * Until then every failure is a `HandshakeError`: `http_error` with the status
 * line when the proxy answered HTTP, `truncated` when the peer closed (or the
 * socket failed) first, `unexpected_first_message` when the first frame does
 * not decode or is another reply (or its length is bad), `timeout` when no
 * complete frame came within `timeoutMs`. Afterwards errors pass unchanged.
 *
 * @example
 * ```ts
 * socketChunks(socket).pipe(
 *   splitFrameBatches({ detectHttp: true }),
 *   handshake({ send: (bytes) => socket.write(bytes), timeoutMs: 5000 }),
 * ).subscribe((batch) => console.log(batch.length));
 * ```
 */
export function handshake(config: HandshakeConfig): MonoTypeOperatorFunction<FrameBatch> {
  const { timeoutMs } = config;
  return (source) =>
    defer(() => {
      config.send(HANDSHAKE_REQUEST);
      return source;
    }).pipe(
      timeout({
        first: timeoutMs,
        scheduler: config.scheduler ?? asyncScheduler,
        with: () => throwError(() => new HandshakeError('timeout', `no OpenList_reply within ${timeoutMs} ms`)),
      }),
      openListFirst(),
    );
}

/** The first reply must be `OpenList_reply`; failures before it become `HandshakeError`s. */
function openListFirst(): MonoTypeOperatorFunction<FrameBatch> {
  return (source) =>
    new Observable<FrameBatch>((subscriber) => {
      let open = false;
      return source.subscribe({
        next(batch) {
          if (!open) {
            const refusal = firstReplyRefusal(batch[0]);
            if (refusal !== undefined) {
              subscriber.error(refusal);
              return;
            }
            open = true;
          }
          subscriber.next(batch);
        },
        error(e: unknown) {
          subscriber.error(open ? e : handshakeFailure(e));
        },
        complete() {
          if (open) subscriber.complete();
          else subscriber.error(new HandshakeError('truncated', 'the server closed the connection before OpenList_reply'));
        },
      });
    });
}

function firstReplyRefusal(first: Uint8Array | undefined): HandshakeError | undefined {
  let type: string;
  try {
    type = first === undefined ? 'missing' : decodeReply(first).type;
  } catch (e) {
    return new HandshakeError('unexpected_first_message', 'the first frame does not decode', undefined, { cause: e });
  }
  if (type !== 'OpenList_reply') return new HandshakeError('unexpected_first_message', `the first frame is ${type}, not OpenList_reply`);
  return undefined;
}

/** An error before `OpenList_reply` as the `HandshakeError` it means. */
function handshakeFailure(e: unknown): AcsysError {
  if (e instanceof ProtocolError) {
    if (e.category === 'http_error') {
      return new HandshakeError('http_error', `the server answered ${e.statusLine ?? 'HTTP'}`, e.statusLine, { cause: e });
    }
    const category = e.category === 'truncated' ? 'truncated' : 'unexpected_first_message';
    return new HandshakeError(category, e.message, undefined, { cause: e });
  }
  if (e instanceof AcsysError) return e; // the timeout's own HandshakeError
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? (e instanceof Error ? e.message : String(e));
  return new HandshakeError('truncated', `socket error during the handshake: ${code}`, undefined, { cause: e });
}
